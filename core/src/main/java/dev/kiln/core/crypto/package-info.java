/**
 * Key material and authenticated encryption: the master key, its HKDF subkeys, AES-256-GCM sealing of every
 * stored object, and key files that wrap the master key under an Argon2id-derived key.
 * Depends on nothing else in kiln.
 */
package dev.kiln.core.crypto;
