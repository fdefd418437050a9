/**
 * Snapshots, trees and nodes: the decoded forms of what a backup records, and their byte formats.
 * Knows blob ids; knows nothing of packs, stores or the file system.
 */
package dev.kiln.core.snapshot;
