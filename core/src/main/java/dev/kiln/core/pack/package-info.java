/**
 * Pack files: blobs compressed and sealed one by one, concatenated in random order, followed by a sealed
 * header and its length. Knows blobs, ids and keys; knows nothing of stores, files or snapshots.
 */
package dev.kiln.core.pack;
