/**
 * The restore engine: recreates a snapshot's files under a target directory, reading each pack once for all the
 * blobs it needs and writing file contents at their offsets. Knows nothing of the CLI or of concrete stores.
 */
package dev.kiln.core.restore;
