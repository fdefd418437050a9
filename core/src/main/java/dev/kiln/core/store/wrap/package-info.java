/**
 * Decorators of {@link dev.kiln.core.store.BlobStore}, each adding one thing: retries, concurrency and rate
 * limits, request accounting, logging, read-only protection. They are composed in one place (the stores module).
 */
package dev.kiln.core.store.wrap;
