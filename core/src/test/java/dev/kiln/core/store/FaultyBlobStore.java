package dev.kiln.core.store;

import dev.kiln.core.store.wrap.ForwardingBlobStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects faults into a store, for tests: errors (transient or permanent), delays, truncated reads, and writes
 * that land although the caller sees a failure. Rules are chosen by operation and object kind:
 * <pre>
 * new FaultyBlobStore(store, seed)
 *     .when(Op.PUT, Op.GET).kinds(ObjectKind.PACK).probability(0.2).failTransiently()
 *     .when(Op.PUT).times(1).landThenFail()
 *     .when(Op.GET).probability(0.1).delay(Duration.ofMillis(50));
 * </pre>
 */
public final class FaultyBlobStore extends ForwardingBlobStore {
    public enum Op { PUT, CREATE, GET, STAT, LIST, DELETE }

    enum Effect { TRANSIENT, PERMANENT, DELAY, TRUNCATE, LAND_THEN_FAIL }

    record Rule(Set<Op> ops, Set<ObjectKind> kinds, double probability, AtomicInteger remaining, Effect effect, Duration delay, String message) {
        boolean applies(Op op, ObjectKind kind, Random random) {
            if (!ops.contains(op) || (kind != null && !kinds.contains(kind))) {
                return false;
            }
            synchronized (random) {
                if (random.nextDouble() >= probability) {
                    return false;
                }
            }
            return remaining.getAndDecrement() > 0;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Random random;
    private final AtomicInteger injected = new AtomicInteger();

    public FaultyBlobStore(BlobStore delegate, long seed) {
        super(delegate);
        this.random = new Random(seed);
    }

    /** How many faults were injected so far. */
    public int injected() {
        return injected.get();
    }

    /** Removes every rule: the store behaves again. */
    public FaultyBlobStore heal() {
        rules.clear();
        return this;
    }

    public RuleBuilder when(Op... ops) {
        return new RuleBuilder(EnumSet.copyOf(Arrays.asList(ops)));
    }

    public final class RuleBuilder {
        private final Set<Op> ops;
        private Set<ObjectKind> kinds = EnumSet.allOf(ObjectKind.class);
        private double probability = 1.0;
        private int times = Integer.MAX_VALUE;

        RuleBuilder(Set<Op> ops) {
            this.ops = ops;
        }

        public RuleBuilder kinds(ObjectKind... k) {
            kinds = EnumSet.copyOf(Arrays.asList(k));
            return this;
        }

        public RuleBuilder probability(double p) {
            probability = p;
            return this;
        }

        public RuleBuilder times(int n) {
            times = n;
            return this;
        }

        private FaultyBlobStore add(Effect e, Duration d, String message) {
            rules.add(new Rule(ops, kinds, probability, new AtomicInteger(times), e, d, message));
            return FaultyBlobStore.this;
        }

        /** A {@link TransientStoreException}, as for a 503 or a timeout. */
        public FaultyBlobStore failTransiently() {
            return add(Effect.TRANSIENT, Duration.ZERO, "injected: 503 Slow Down");
        }

        /** A permanent {@link IOException}, as for a 403 or a missing bucket. */
        public FaultyBlobStore failPermanently(String message) {
            return add(Effect.PERMANENT, Duration.ZERO, message);
        }

        public FaultyBlobStore delay(Duration d) {
            return add(Effect.DELAY, d, "");
        }

        /** Reads return fewer bytes than asked for. */
        public FaultyBlobStore truncate() {
            return add(Effect.TRUNCATE, Duration.ZERO, "");
        }

        /** The write is done, then the caller gets a transient failure. */
        public FaultyBlobStore landThenFail() {
            return add(Effect.LAND_THEN_FAIL, Duration.ZERO, "injected: connection reset after the write");
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T apply(Op op, ObjectKind kind, Call<T> call) throws IOException {
        boolean landThenFail = false;
        boolean truncate = false;
        for (Rule r : rules) {
            if (!r.applies(op, kind, random)) {
                continue;
            }
            injected.incrementAndGet();
            switch (r.effect()) {
                case TRANSIENT -> throw new TransientStoreException(r.message());
                case PERMANENT -> throw new IOException(r.message());
                case DELAY -> {
                    try {
                        Thread.sleep(r.delay());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
                case TRUNCATE -> truncate = true;
                case LAND_THEN_FAIL -> landThenFail = true;
            }
        }
        T result = call.run();
        if (landThenFail) {
            throw new TransientStoreException("injected: connection reset after the write");
        }
        if (truncate && result instanceof byte[] b && b.length > 0) {
            @SuppressWarnings("unchecked")
            T shorter = (T) Arrays.copyOf(b, b.length / 2);
            return shorter;
        }
        return result;
    }

    @Override
    public void put(ObjectKey key, byte[] data) throws IOException {
        apply(Op.PUT, key.kind(), () -> {
            super.put(key, data);
            return null;
        });
    }

    @Override
    public void create(ObjectKey key, byte[] data) throws IOException {
        apply(Op.CREATE, key.kind(), () -> {
            super.create(key, data);
            return null;
        });
    }

    @Override
    public byte[] get(ObjectKey key) throws IOException {
        return apply(Op.GET, key.kind(), () -> super.get(key));
    }

    @Override
    public byte[] get(ObjectKey key, long offset, int length) throws IOException {
        return apply(Op.GET, key.kind(), () -> super.get(key, offset, length));
    }

    @Override
    public ObjectInfo stat(ObjectKey key) throws IOException {
        return apply(Op.STAT, key.kind(), () -> super.stat(key));
    }

    @Override
    public List<ObjectInfo> list(ObjectKind kind) throws IOException {
        return apply(Op.LIST, kind, () -> super.list(kind));
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
        apply(Op.DELETE, key.kind(), () -> {
            super.delete(key);
            return null;
        });
    }
}
