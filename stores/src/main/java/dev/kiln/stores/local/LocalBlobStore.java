package dev.kiln.stores.local;

import dev.kiln.core.store.BlobStore;
import dev.kiln.core.store.ObjectExistsException;
import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.store.ObjectNotFoundException;
import dev.kiln.core.store.ReadBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Objects as files under a root directory: {@code config}, {@code keys/}, {@code index/}, {@code snapshots/},
 * {@code locks/}, and packs in {@code data/<first two hex digits>/}. A write goes to a temporary file in the
 * destination directory, is fsynced, renamed into place atomically, and the directory is fsynced; so after a
 * crash an object is either whole or absent. Temporary files start with '.' and are never listed.
 */
public final class LocalBlobStore implements BlobStore {
    private static final int IO_SLICE = 1 << 20;
    private final Path root;

    public LocalBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    Path pathOf(ObjectKey key) {
        return switch (key.kind()) {
            case CONFIG -> root.resolve("config");
            case PACK -> root.resolve(ObjectKind.PACK.directory()).resolve(key.name().substring(0, 2)).resolve(key.name());
            default -> root.resolve(key.kind().directory()).resolve(key.name());
        };
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        Path target = pathOf(key);
        Path temp = writeTemp(target, data);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(target.getParent());
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        Path target = pathOf(key);
        Path temp = writeTemp(target, data);
        try {
            Files.createLink(target, temp); // atomic, and fails if the target exists
        } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(key);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(target.getParent());
    }

    private Path writeTemp(Path target, byte[] data) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // In slices: the JDK copies a heap buffer into a temporary direct buffer of the same size per call,
            // and keeps it per thread; whole 16 MiB packs would pin 16 MiB of native memory per upload thread.
            for (int off = 0; off < data.length; off += IO_SLICE) {
                ByteBuffer bb = ByteBuffer.wrap(data, off, Math.min(IO_SLICE, data.length - off));
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(key + " is too large to read whole (" + size + " bytes)");
            }
            return read(ch, key, 0, (int) size, new byte[(int) size]);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    /** Reads into the start of {@code out}, in slices (see {@link #IO_SLICE}'s use in writes). */
    private static byte[] read(FileChannel ch, ObjectKey key, long offset, int length, byte[] out) throws IOException {
        for (int off = 0; off < length; off += IO_SLICE) {
            readFully(ch, key, offset + off, ByteBuffer.wrap(out, off, Math.min(IO_SLICE, length - off)));
        }
        return out;
    }

    /** Fills {@code bb} from the file at {@code pos}. */
    private static void readFully(FileChannel ch, ObjectKey key, long pos, ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos);
            if (n < 0) {
                throw new EOFException(key + ": short read at " + pos);
            }
            pos += n;
        }
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return readRange(key, offset, length, ch -> read(ch, key, offset, length, new byte[length]));
    }

    /** Reads the range straight into the buffer's native memory, in one call. */
    @Override
    public void getInto(ObjectKey key, long offset, int length, ReadBuffer into) throws IOException {
        readRange(key, offset, length, ch -> {
            readFully(ch, key, offset, into.prepare(length).asByteBuffer());
            return null;
        });
    }

    /** What reads the range from the open file. */
    @FunctionalInterface
    private interface RangeReader<T> {
        T read(FileChannel ch) throws IOException;
    }

    /** Reads the range (checked against the file's size) with {@code reader}. */
    private <T> T readRange(ObjectKey key, long offset, int length, RangeReader<T> reader) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            if (offset + length > ch.size()) {
                throw new EOFException(key + ": range " + offset + "+" + length + " exceeds size " + ch.size());
            }
            return reader.read(ch);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        try {
            return new ObjectInfo(key, Files.size(pathOf(key)));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        List<ObjectInfo> result = new ArrayList<>();
        if (kind == ObjectKind.CONFIG) {
            if (Files.exists(pathOf(ObjectKey.CONFIG))) {
                result.add(stat(ObjectKey.CONFIG));
            }
            return result;
        }
        Path dir = root.resolve(kind.directory());
        if (kind == ObjectKind.PACK) {
            for (Path shard : children(dir)) {
                if (shard.getFileName().toString().matches("[0-9a-f]{2}")) {
                    listInto(shard, kind, result);
                }
            }
        } else {
            listInto(dir, kind, result);
        }
        return result;
    }

    private static void listInto(Path dir, ObjectKind kind, List<ObjectInfo> out) throws IOException {
        for (Path p : children(dir)) {
            String name = p.getFileName().toString();
            if (ObjectKey.isHexName(name)) {
                try {
                    out.add(new ObjectInfo(ObjectKey.of(kind, name), Files.size(p)));
                } catch (NoSuchFileException deletedMeanwhile) {
                    // deleted between listing and stat: not there
                }
            }
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            // no objects of this kind yet
        }
        return out;
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public String location() {
        return root.toString();
    }
}
