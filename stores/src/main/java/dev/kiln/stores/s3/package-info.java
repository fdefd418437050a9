/**
 * A {@link dev.kiln.core.store.BlobStore} on S3 and S3-compatible object stores (AWS SDK v2). AWS exceptions are
 * translated here and never leave this package. Knows nothing of keys, packs or snapshots.
 */
package dev.kiln.stores.s3;
