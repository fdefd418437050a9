package dev.kiln.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.compress.Compression;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.PackId;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import dev.kiln.core.snapshot.FileName;
import dev.kiln.core.snapshot.Metadata;
import dev.kiln.core.snapshot.Node;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import dev.kiln.core.xattr.ExtendedAttributes.Xattr;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records whose equals and hashCode are written out by hand (for start-up speed) must still compare every
 * component: for each component, a copy that differs in it alone is unequal, and an exact copy is equal with the
 * same hash code.
 */
class WrittenOutEqualsTest {
    private static final Metadata META = new Metadata(0644, 1000, 1000, "alice", "staff", 1_700_000_000L, 5,
            1_700_000_100L, 7, 42, 2049, 1, List.of(new Xattr("user.a", new byte[] {1})));

    static List<Record> samples() {
        BlobId id = new BlobId(1, 2, 3, 4);
        return List.of(
                id,
                new PackId(5, 6, 7, 8),
                new PackEntry(BlobType.DATA, id, 10, 20, 30, Compression.ZSTD),
                new ObjectKey(ObjectKind.PACK, "0123456789abcdef"),
                META,
                new Node.File(FileName.of("a"), META, 9, List.of(id)),
                new Node.Directory(FileName.of("d"), META, id),
                new Node.Special(FileName.of("p"), META, Node.SpecialKind.FIFO, 0));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyComponentTakesPart(Record sample) throws Exception {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(sample);
        }
        Constructor<?> canonical = sample.getClass().getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        Object copy = canonical.newInstance(values);
        assertThat(copy).isEqualTo(sample).hasSameHashCodeAs(sample);
        assertThat(sample).isNotEqualTo(null).isNotEqualTo(new Object());
        for (int i = 0; i < components.length; i++) {
            Object[] changed = values.clone();
            changed[i] = other(values[i]);
            assertThat(canonical.newInstance(changed))
                    .as("%s differing in %s", sample.getClass().getSimpleName(), components[i].getName())
                    .isNotEqualTo(sample);
        }
    }

    @Test
    void objectKeyNamesAreLowerCaseHexOfEightTo128Digits() {
        assertThat(new ObjectKey(ObjectKind.INDEX, "0".repeat(8)).name()).hasSize(8);
        assertThat(new ObjectKey(ObjectKind.INDEX, "f".repeat(128)).name()).hasSize(128);
        for (String bad : List.of("0".repeat(7), "0".repeat(129), "0123456g", "0123456A", "01234 56", "012345-6")) {
            assertThatThrownBy(() -> new ObjectKey(ObjectKind.INDEX, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ObjectKey.CONFIG).isEqualTo(new ObjectKey(ObjectKind.CONFIG, "config"));
        assertThatThrownBy(() -> new ObjectKey(ObjectKind.CONFIG, "0123456789")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A value of the same type that differs from {@code v} (and keeps the record's own checks satisfied). */
    private static Object other(Object v) {
        return switch (v) {
            case Integer i -> i + 1;
            case Long l -> l + 1;
            case String s -> s.matches("[0-9a-f]+") ? new StringBuilder(s).reverse().toString() : s + "x";
            case BlobId b -> new BlobId(b.w0(), b.w1(), b.w2(), b.w3() + 1);
            case FileName f -> FileName.of(f + "x");
            case Metadata m -> new Metadata(m.mode(), m.uid(), m.gid(), m.user(), m.group(), m.mtimeSeconds(),
                    m.mtimeNanos(), m.ctimeSeconds(), m.ctimeNanos(), m.inode() + 1, m.device(), m.links(), m.xattrs());
            case List<?> l when l.isEmpty() -> List.of(new BlobId(9, 9, 9, 9));
            case List<?> l -> List.of();
            case Enum<?> e -> e.getDeclaringClass().getEnumConstants()[(e.ordinal() + 1) % e.getDeclaringClass().getEnumConstants().length];
            default -> throw new IllegalArgumentException("no other value for " + v.getClass());
        };
    }
}
