package dev.kiln.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Storage of immutable named objects. The store is untrusted: it sees only encrypted bytes and opaque names.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Atomic put.</b> After {@link #put} returns, a reader sees the whole object; before, or if it throws,
 *       a reader sees either no object or a previous complete one, never a partial one.</li>
 *   <li><b>Read-after-write.</b> Once {@link #put} or {@link #create} has returned, {@link #get}, {@link #stat}
 *       and {@link #list} from any thread of this process see the object.</li>
 *   <li><b>Create is exclusive.</b> {@link #create} fails with {@link ObjectExistsException} when an object of
 *       that name exists, and then leaves it untouched.</li>
 *   <li><b>Ranged get.</b> {@link #get(ObjectKey, long, int)} returns exactly {@code length} bytes from
 *       {@code offset}, or fails with {@link java.io.EOFException} if the object is shorter.</li>
 *   <li><b>List by kind.</b> {@link #list} returns every object of one kind, in no particular order.</li>
 *   <li><b>Idempotent delete.</b> Deleting a missing object succeeds.</li>
 * </ul>
 * A missing object is reported with {@link ObjectNotFoundException}; every other failure is an
 * {@link IOException}. Implementations are safe for use by several threads at once.
 */
public interface BlobStore extends Closeable {

    /** Stores {@code data} under {@code key}, replacing any object of that name. */
    void put(ObjectKey key, byte[] data) throws IOException;

    /** Stores {@code data} under {@code key} only if no object of that name exists. */
    void create(ObjectKey key, byte[] data) throws IOException;

    /** Returns the whole object. */
    byte[] get(ObjectKey key) throws IOException;

    /**
     * As {@link #get(ObjectKey, long, int)}, into {@code into} (replacing what it held): a store that can reads into
     * its memory (and grows it), the others read an array that is copied in. Same contract: exactly {@code length}
     * bytes.
     */
    default void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        into.adopt(get(key, offset, length));
    }

    /** Returns {@code length} bytes of the object starting at {@code offset}. */
    byte[] get(ObjectKey key, long offset, int length) throws IOException;

    /** Returns the object's size. */
    ObjectInfo stat(ObjectKey key) throws IOException;

    /** Lists every object of one kind. */
    List<ObjectInfo> list(ObjectKind kind) throws IOException;

    /** Deletes the object if it exists. */
    void delete(ObjectKey key) throws IOException;

    /** Deletes several objects (in batches where the store can); missing ones are fine. */
    default void deleteAll(List<ObjectKey> keys) throws IOException {
        for (ObjectKey k : keys) {
            delete(k);
        }
    }

    /** A one-line description of where the objects live, for messages. */
    String location();

    @Override
    default void close() throws IOException {
    }
}
