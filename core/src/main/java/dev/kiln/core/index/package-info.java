/**
 * The blob index: which pack holds each blob, at what offset. Encodes and decodes the repository's encrypted
 * index files and keeps the index of an open repository. Knows packs and ids; knows nothing of stores.
 */
package dev.kiln.core.index;
