/** Per-blob compression (zstd through zstd-jni). Depends on nothing else in kiln. */
package dev.kiln.core.compress;
