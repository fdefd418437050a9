package dev.kiln.core.repo;

import dev.kiln.core.store.ObjectInfo;
import dev.kiln.core.store.ObjectKey;
import dev.kiln.core.store.ObjectKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lock object in the repository, refreshed every {@link #REFRESH} while held and removed on close. A lock whose
 * time is older than {@link #STALE} is ignored by others. Shared locks (backup) exclude only exclusive ones
 * (prune); an exclusive lock excludes all.
 */
public final class RepositoryLock implements AutoCloseable {
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration STALE = Duration.ofMinutes(30);

    private final Repository repo;
    private final LockInfo info;
    private volatile ObjectKey key;
    private final ScheduledExecutorService refresher;

    private RepositoryLock(Repository repo, LockInfo info, ObjectKey key) {
        this.repo = repo;
        this.info = info;
        this.key = key;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(this::refreshQuietly, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        this.onExit = new Thread(this::releaseQuietly, "kiln-lock-release");
        Runtime.getRuntime().addShutdownHook(onExit); // Ctrl-C or SIGTERM: leave no lock behind
    }

    private final Thread onExit;

    private void releaseQuietly() {
        try {
            refresher.shutdownNow();
            repo.store().delete(key);
        } catch (IOException e) {
            // exiting anyway; the lock goes stale after STALE
        }
    }

    static RepositoryLock acquire(Repository repo, boolean exclusive, String hostname, String username) throws IOException {
        checkConflicts(repo, exclusive, null);
        LockInfo info = new LockInfo(repo.clock().instant().toString(), exclusive, hostname, username, ProcessHandle.current().pid());
        ObjectKey key = write(repo, info);
        try {
            checkConflicts(repo, exclusive, key);
        } catch (IOException e) {
            repo.store().delete(key);
            throw e;
        }
        return new RepositoryLock(repo, info, key);
    }

    private static ObjectKey write(Repository repo, LockInfo info) throws IOException {
        byte[] name = new byte[32];
        new SecureRandom().nextBytes(name);
        ObjectKey key = ObjectKey.of(ObjectKind.LOCK, HexFormat.of().formatHex(name));
        repo.store().put(key, repo.sealLock(info));
        return key;
    }

    private static void checkConflicts(Repository repo, boolean exclusive, ObjectKey own) throws IOException {
        Instant now = repo.clock().instant();
        for (ObjectInfo other : repo.store().list(ObjectKind.LOCK)) {
            if (other.key().equals(own)) {
                continue;
            }
            LockInfo theirs;
            try {
                theirs = repo.openLock(repo.store().get(other.key()), other.key().toString());
            } catch (dev.kiln.core.store.ObjectNotFoundException gone) {
                continue;
            }
            if (Instant.parse(theirs.time()).plus(STALE).isBefore(now)) {
                continue;
            }
            if (exclusive || theirs.exclusive()) {
                throw new RepositoryLockedException("repository is locked " + (theirs.exclusive() ? "exclusively " : "")
                        + "by pid " + theirs.pid() + " on " + theirs.hostname() + " since " + theirs.time());
            }
        }
    }

    private void refreshQuietly() {
        try {
            ObjectKey old = key;
            key = write(repo, new LockInfo(repo.clock().instant().toString(), info.exclusive(), info.hostname(), info.username(), info.pid()));
            repo.store().delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        refresher.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook deletes the lock
        }
        repo.store().delete(key);
    }
}
