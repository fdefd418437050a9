package dev.kiln.core.store.wrap;

/** Time for the decorators that wait: real by default, replaced in tests so that they need not sleep. */
public interface Pacer {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    Pacer SYSTEM = new Pacer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        }
    };
}
