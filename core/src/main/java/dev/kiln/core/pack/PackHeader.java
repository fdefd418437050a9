package dev.kiln.core.pack;

import dev.kiln.core.crypto.Aead;
import dev.kiln.core.crypto.IntegrityException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the header at the end of a pack. */
public final class PackHeader {
    private PackHeader() {
    }

    /** The length of the sealed header, from the pack's last 4 bytes. */
    public static int sealedLength(byte[] trailer, long packSize, String what) throws IntegrityException {
        return sealedLength(trailer, trailer.length, packSize, what);
    }

    /** The same, for a trailer that ends at {@code end} in {@code buffer}. */
    private static int sealedLength(byte[] buffer, int end, long packSize, String what) throws IntegrityException {
        int n = ByteBuffer.wrap(buffer, end - 4, 4).getInt();
        if (n < Aead.OVERHEAD || n > packSize - 4) {
            throw new IntegrityException(what + ": header length " + n + " does not fit pack size " + packSize);
        }
        return n;
    }

    /** The sealed length of a header listing {@code entries} entries (magic, version, count, entries; nonce, tag). */
    public static int sealedSize(int entries) {
        return Aead.OVERHEAD + PackWriter.MAGIC.length + 1 + 4 + entries * PackEntry.ENCODED_SIZE;
    }

    /** Parses a whole pack's header; {@code pack} holds at least the header and trailer at its end. */
    public static List<PackEntry> parse(byte[] pack, long packSize, Aead metadata, String what) throws IntegrityException {
        return parse(pack, pack.length, packSize, metadata, what);
    }

    /** Parses the header of a whole pack held in {@code pack}, on the heap or not (its tail is copied out). */
    public static List<PackEntry> parse(MemorySegment pack, long packSize, Aead metadata, String what) throws IntegrityException {
        long size = pack.byteSize();
        if (size < 4) {
            throw new IntegrityException(what + ": " + size + " bytes is too short for a pack");
        }
        int n = pack.get(BIG_ENDIAN_INT, size - 4);
        if (n < Aead.OVERHEAD || n > packSize - 4 || n > size - 4) {
            throw new IntegrityException(what + ": header length " + n + " does not fit pack size " + packSize);
        }
        byte[] tail = pack.asSlice(size - 4 - n, n + 4L).toArray(ValueLayout.JAVA_BYTE);
        return parse(tail, tail.length, packSize, metadata, what);
    }

    private static final ValueLayout.OfInt BIG_ENDIAN_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** The same, for a pack (or its tail) that ends at {@code end} in {@code buffer}. */
    public static List<PackEntry> parse(byte[] buffer, int end, long packSize, Aead metadata, String what) throws IntegrityException {
        if (end < 4) {
            throw new IntegrityException(what + ": " + end + " bytes is too short for a pack");
        }
        int n = sealedLength(buffer, end, packSize, what);
        byte[] plain = metadata.open(buffer, end - 4 - n, n, PackWriter.HEADER_AAD, what + " header");
        ByteBuffer in = ByteBuffer.wrap(plain);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, PackWriter.MAGIC) || in.get() != PackWriter.VERSION) {
            throw new IntegrityException(what + ": not a version 1 pack header");
        }
        int count = in.getInt();
        if (count < 0 || count * (long) PackEntry.ENCODED_SIZE != in.remaining()) {
            throw new IntegrityException(what + ": header entry count " + count + " does not match its size");
        }
        List<PackEntry> entries = new ArrayList<>(count);
        long limit = packSize - 4 - n;
        for (int i = 0; i < count; i++) {
            PackEntry e = PackEntry.readFrom(in);
            if (e.offset() + (long) e.length() > limit) {
                throw new IntegrityException(what + ": entry for blob " + e.id() + " exceeds the data area");
            }
            entries.add(e);
        }
        return entries;
    }
}
