/**
 * The backup engine: walks file trees, cuts files into blobs, saves new blobs and trees, and records a snapshot.
 * Works on a {@link dev.kiln.core.repo.Repository}; knows nothing of the CLI or of concrete stores.
 */
package dev.kiln.core.backup;
