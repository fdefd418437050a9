package dev.kiln.core.store;

class MemoryBlobStoreTest extends BlobStoreContractTest {
    @Override
    protected BlobStore newStore() {
        return new MemoryBlobStore();
    }
}
