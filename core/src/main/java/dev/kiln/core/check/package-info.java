/**
 * Verifying a repository: the structure check, reading data back (with scheduled coverage), reports of which
 * files of which snapshots a damaged object affects, and rebuilding the index from pack headers.
 * Works on a {@link dev.kiln.core.repo.Repository}; knows nothing of the CLI or of concrete stores.
 */
package dev.kiln.core.check;
