/**
 * Identities of stored things: {@link dev.kiln.core.id.BlobId} (keyed 256-bit block addresses), {@link dev.kiln.core.id.PackId}
 * (SHA-256 of a pack's bytes), and the hash functions behind them (SHA-256, THEX Tiger Tree Hash).
 * Depends on nothing else in kiln.
 */
package dev.kiln.core.id;
