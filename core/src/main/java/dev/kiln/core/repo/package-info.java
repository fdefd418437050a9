/**
 * The repository: config, keys, loading and saving blobs through packs and index files, snapshots, locks.
 * Uses a {@link dev.kiln.core.store.BlobStore} as it is given; knows nothing of which store it is, nor of the CLI.
 */
package dev.kiln.core.repo;
