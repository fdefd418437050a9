package dev.kiln.core.store;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BlobStore} in the heap, for tests and for trying things out. */
public final class MemoryBlobStore implements BlobStore {
    private final Map<ObjectKey, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public void put(ObjectKey key, byte[] data) {
        objects.put(key, data.clone());
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        if (objects.putIfAbsent(key, data.clone()) != null) {
            throw new ObjectExistsException(key);
        }
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return find(key).clone();
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        byte[] data = find(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
        if (offset + length > data.length) {
            throw new EOFException(key + ": range " + offset + "+" + length + " exceeds size " + data.length);
        }
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return new ObjectInfo(key, find(key).length);
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) {
        List<ObjectInfo> result = new ArrayList<>();
        objects.forEach((key, data) -> {
            if (key.kind() == kind) {
                result.add(new ObjectInfo(key, data.length));
            }
        });
        return result;
    }

    @Override
    public void delete(ObjectKey key) {
        objects.remove(key);
    }

    @Override
    public String location() {
        return "memory";
    }

    private byte[] find(ObjectKey key) throws ObjectNotFoundException {
        byte[] data = objects.get(key);
        if (data == null) {
            throw new ObjectNotFoundException(key);
        }
        return data;
    }
}
