package dev.kiln.core.index;

import dev.kiln.core.id.BlobId;

/**
 * A set of blob ids in one array: four longs per slot, open addressing with linear probing, a quarter to half full.
 * Check's structure walk asks whether each of ~100,000 referenced blobs is in the index; against this set built from
 * one pass over the index that is a few array reads each, where a sweep through RocksDB cost ~150 ms of CPU for the
 * src repository. 64 bytes per id at most: for small indexes only ({@link #fits}). Not thread-safe.
 */
public final class BlobIdSet {
    /** The largest set made: 2^20 slots, 32 MiB. */
    static final int MAX_IDS = 1 << 19;

    private long[] slots;
    private int mask;
    private int size;
    private boolean hasZero; // the all-zero id, which marks an empty slot

    /** Room for {@code expected} ids (at most {@link #MAX_IDS}); it grows when more come, up to that. */
    public BlobIdSet(long expected) {
        if (!fits(expected)) {
            throw new IllegalArgumentException(expected + " ids do not fit (at most " + MAX_IDS + ")");
        }
        int capacity = Integer.highestOneBit((int) Math.max(16, expected) * 2 - 1) * 2; // a power of two >= 2 x expected
        slots = new long[capacity * 4];
        mask = capacity - 1;
    }

    /** Twice the slots, the ids placed again; refused beyond {@link #MAX_IDS}. */
    private void grow() {
        long[] old = slots;
        if (old.length / 4 >= 2 * MAX_IDS) {
            throw new IllegalStateException("more than " + MAX_IDS + " blob ids");
        }
        slots = new long[old.length * 2];
        mask = old.length / 2 - 1;
        size = hasZero ? 1 : 0;
        for (int at = 0; at < old.length; at += 4) {
            if ((old[at] | old[at + 1] | old[at + 2] | old[at + 3]) != 0) {
                add(old[at], old[at + 1], old[at + 2], old[at + 3]);
            }
        }
    }

    /** Whether a set of this many ids is small enough to be made. */
    public static boolean fits(long ids) {
        return ids >= 0 && ids <= MAX_IDS;
    }

    public int size() {
        return size;
    }

    public void add(BlobId id) {
        add(id.w0(), id.w1(), id.w2(), id.w3());
    }

    /** Adds the id of these four words (big-endian, as {@link BlobId} holds them); false when it was there. */
    public boolean add(long w0, long w1, long w2, long w3) {
        if ((w0 | w1 | w2 | w3) == 0) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (size >= (mask + 1) / 2) {
            grow();
        }
        for (int slot = (int) w0 & mask; ; slot = (slot + 1) & mask) { // ids are keyed hashes: any word spreads them
            int at = slot * 4;
            long a = slots[at];
            long b = slots[at + 1];
            long c = slots[at + 2];
            long d = slots[at + 3];
            if ((a | b | c | d) == 0) {
                slots[at] = w0;
                slots[at + 1] = w1;
                slots[at + 2] = w2;
                slots[at + 3] = w3;
                size++;
                return true;
            }
            if (a == w0 && b == w1 && c == w2 && d == w3) {
                return false;
            }
        }
    }

    public boolean contains(BlobId id) {
        long w0 = id.w0();
        long w1 = id.w1();
        long w2 = id.w2();
        long w3 = id.w3();
        if ((w0 | w1 | w2 | w3) == 0) {
            return hasZero;
        }
        for (int slot = (int) w0 & mask; ; slot = (slot + 1) & mask) {
            int at = slot * 4;
            long a = slots[at];
            if (a == w0 && slots[at + 1] == w1 && slots[at + 2] == w2 && slots[at + 3] == w3) {
                return true;
            }
            if ((a | slots[at + 1] | slots[at + 2] | slots[at + 3]) == 0) {
                return false;
            }
        }
    }
}
