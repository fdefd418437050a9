/**
 * Dumb, untrusted storage of immutable named objects: {@link dev.kiln.core.store.BlobStore} and its contract.
 * A store never sees a plaintext byte, a file name or a blob boundary; it must not depend on any other kiln package.
 */
package dev.kiln.core.store;
