/**
 * A {@link dev.kiln.core.store.BlobStore} on a local file system (a disk, a NAS mount).
 * Knows nothing of keys, packs or snapshots.
 */
package dev.kiln.stores.local;
