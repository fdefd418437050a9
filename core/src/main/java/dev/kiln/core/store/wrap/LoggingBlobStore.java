package dev.kiln.core.store.wrap;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ReadBuffer;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** Logs every request with its outcome and duration (for debugging). */
public final class LoggingBlobStore extends ForwardingBlobStore {
    private final Consumer<String> log;

    public LoggingBlobStore(BlobStore delegate, Consumer<String> log) {
        super(delegate);
        this.log = log;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T logged(String what, Call<T> call) throws IOException {
        long t0 = System.nanoTime();
        try {
            T result = call.run();
            log.accept(what + " ok " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return result;
        } catch (IOException | RuntimeException e) {
            log.accept(what + " failed after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e);
            throw e;
        }
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        logged("PUT " + key + " (" + data.length + " bytes)", () -> {
            super.put(key, data);
            return null;
        });
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        logged("PUT-IF-ABSENT " + key + " (" + data.length + " bytes)", () -> {
            super.create(key, data);
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return logged("GET " + key, () -> super.get(key));
    }

    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        logged("GET " + key + " [" + offset + "+" + length + "]", () -> {
            delegate.getInto(key, offset, length, into);
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return logged("GET " + key + " [" + offset + "+" + length + "]", () -> super.get(key, offset, length));
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return logged("HEAD " + key, () -> super.stat(key));
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        return logged("LIST " + kind.directory(), () -> super.list(kind));
    }

    @Override
    public void deleteAll(List<ObjectKey> keys) throws IOException {
        logged("DELETE " + keys.size() + " objects", () -> {
            super.deleteAll(keys);
            return null;
        });
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        logged("DELETE " + key, () -> {
            super.delete(key);
            return null;
        });
    }
}
