package dev.kiln.cli.command;

import dev.kiln.cli.ExitCode;
import dev.kiln.cli.option.PasswordSource;
import dev.kiln.core.crypto.WrongPasswordException;
import dev.kiln.core.repo.CacheOptions;
import dev.kiln.core.repo.Repository;
import dev.kiln.core.repo.RepositoryLockedException;
import dev.kiln.core.repo.RepositoryNotFoundException;
import dev.kiln.core.store.BlobStore;
import dev.kiln.stores.OpenedStore;
import dev.kiln.stores.StoreOptions;
import dev.kiln.stores.Stores;
import dev.kiln.stores.s3.S3Options;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code kiln} command: global options, shared context, error handling. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
        description = "Content-addressed, deduplicating, encrypted backups.",
        footer = {"", ExitCode.TABLE})
public final class KilnCommand implements Runnable {
    @Option(names = "--repo", scope = ScopeType.INHERIT, paramLabel = "LOCATION",
            description = "Repository: a path or file:/path (env KILN_REPOSITORY; default ${XDG_DATA_HOME:-~/.local/share}/kiln/repository).")
    String repo;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the password from FILE (env KILN_PASSWORD_FILE; also KILN_PASSWORD_COMMAND, KILN_PASSWORD).")
    Path passwordFile;

    @Option(names = "--limit-upload", scope = ScopeType.INHERIT, paramLabel = "KiB/s", description = "Limit uploads to the store.")
    long limitUpload;

    @Option(names = "--limit-download", scope = ScopeType.INHERIT, paramLabel = "KiB/s", description = "Limit downloads from the store.")
    long limitDownload;

    @Option(names = "--connections", scope = ScopeType.INHERIT, paramLabel = "N", defaultValue = "8",
            description = "S3: requests in flight at once (default 8).")
    int connections;

    @Option(names = "--s3-region", scope = ScopeType.INHERIT, paramLabel = "REGION", description = "S3: region (default: the SDK's, or us-east-1).")
    String s3Region;

    @Option(names = "--s3-storage-class", scope = ScopeType.INHERIT, paramLabel = "CLASS",
            description = "S3: storage class for data packs, e.g. STANDARD_IA (metadata stays STANDARD).")
    String s3StorageClass;

    @Option(names = "--s3-checksums", scope = ScopeType.INHERIT, paramLabel = "MODE", defaultValue = "when-supported",
            description = "S3: when-supported (the SDK's flexible checksums) or when-required (for servers that reject them).")
    String s3Checksums;

    @Option(names = "--s3-virtual-host", scope = ScopeType.INHERIT,
            description = "S3 on AWS: use virtual-hosted-style requests instead of path-style.")
    boolean s3VirtualHost;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Log every store request to standard error.")
    boolean verbose;

    /** Requests made by the store opened last, for the summaries. */
    dev.kiln.core.store.wrap.RequestStats requestStats = new dev.kiln.core.store.wrap.RequestStats();

    PrintWriter out;
    PrintWriter err;
    Map<String, String> env;
    Clock clock = Clock.systemUTC();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The subcommands by name, in the order help lists them. (Registered by hand, not in the annotation, so that a
     * run builds only the models it needs: picocli builds each by reflection at every start, with the global options
     * copied into each. {@code CliTest} checks these names against the annotations.)
     */
    static final List<Map.Entry<String, Class<?>>> SUBCOMMANDS = List.of(Map.entry("init", InitCommand.class),
            Map.entry("backup", BackupCommand.class), Map.entry("snapshots", SnapshotsCommand.class),
            Map.entry("ls", LsCommand.class), Map.entry("restore", RestoreCommand.class),
            Map.entry("check", CheckCommand.class), Map.entry("repair", RepairCommand.class));

    /** The command line with every subcommand. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(out, err, env, Set.of());
    }

    /**
     * The command line for these arguments: with the subcommands that they name (any argument equal to a subcommand's
     * name, so an option's value that happens to be one costs a model, never a wrong parse), or with all of them when
     * none is named (help, and the suggestions for a mistyped one). `kiln snapshots`: 805 -> 762 ms (8 interleaved runs).
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, String[] args) {
        return commandLine(out, err, env, new java.util.HashSet<>(java.util.Arrays.asList(args)));
    }

    /** With the subcommands named in {@code named}, or all when it names none. */
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, Set<String> named) {
        KilnCommand root = new KilnCommand();
        root.out = out;
        root.err = err;
        root.env = env;
        CommandLine cl = new CommandLine(root);
        boolean all = SUBCOMMANDS.stream().noneMatch(e -> named.contains(e.getKey()));
        for (Map.Entry<String, Class<?>> e : SUBCOMMANDS) {
            if (all || named.contains(e.getKey())) {
                cl.addSubcommand(e.getKey(), e.getValue());
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> root.handle(ex));
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().footer("", ExitCode.TABLE));
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** Prints one line for a failure and maps it to its exit code. */
    int handle(Exception ex) {
        int code = switch (ex) {
            case RepositoryNotFoundException e -> ExitCode.NO_REPOSITORY;
            case RepositoryLockedException e -> ExitCode.LOCKED;
            case WrongPasswordException e -> ExitCode.WRONG_PASSWORD;
            case InterruptedIOException e -> ExitCode.INTERRUPTED;
            case IllegalArgumentException e -> ExitCode.USAGE;
            default -> ExitCode.FAILURE;
        };
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            message = nsf.getFile() + ": no such file or directory";
        } else if (ex instanceof java.nio.file.AccessDeniedException ade) {
            message = ade.getFile() + ": permission denied";
        } else if (!(ex instanceof IOException) && !(ex instanceof IllegalArgumentException)) {
            message = ex.toString(); // a bug: say what kind
        }
        err.println("kiln: " + message);
        err.flush();
        return code;
    }

    /** The repository location and whether it is the embedded default. */
    record Location(String location, boolean isDefault) {
    }

    Location location() {
        if (repo != null && !repo.isEmpty()) {
            return new Location(repo, false);
        }
        String fromEnv = env.get("KILN_REPOSITORY");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new Location(fromEnv, false);
        }
        String data = env.get("XDG_DATA_HOME");
        Path base = data != null && !data.isEmpty() ? Path.of(data) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
        return new Location(base.resolve("kiln").resolve("repository").toString(), true);
    }

    @Option(names = "--no-cache", scope = ScopeType.INHERIT,
            description = "Keep no local cache: the index is built in a temporary directory and removed at the end; nothing is copied from remote stores.")
    boolean noCache;

    /**
     * The local cache under ${XDG_CACHE_HOME:-~/.cache}/kiln: the index (RocksDB), and for remote (S3)
     * repositories copies of snapshots and tree packs.
     */
    CacheOptions cacheOptions() throws IOException {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache"))
                .resolve("kiln");
        if (noCache) {
            return CacheOptions.temporary(Path.of(System.getProperty("java.io.tmpdir")));
        }
        return CacheOptions.at(base, Stores.isS3(location().location()));
    }

    PasswordSource passwords() {
        return new PasswordSource(env, Optional.ofNullable(passwordFile));
    }

    BlobStore openStore() {
        return openStore(false);
    }

    /** Opens the store stack; read-only for commands that must not change the repository. */
    BlobStore openStore(boolean readOnly) {
        S3Options s3 = S3Options.defaults().withRegion(s3Region)
                .with(!s3VirtualHost, Optional.ofNullable(s3StorageClass), s3Checksums, connections);
        String access = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (access != null && !access.isEmpty() && secret != null && !secret.isEmpty()) {
            s3 = s3.withCredentials(access, secret);
        }
        StoreOptions options = StoreOptions.defaults().withS3(s3).withLimits(limitUpload * 1024, limitDownload * 1024)
                .readOnly(readOnly)
                .withRetries(dev.kiln.core.store.wrap.RetryingBlobStore.Policy.DEFAULT, m -> {
                    err.println("retry: " + m);
                    err.flush();
                });
        if (verbose) {
            options = options.withDebug(m -> {
                err.println("store: " + m);
                err.flush();
            });
        }
        OpenedStore opened = Stores.open(location().location(), options);
        requestStats = opened.stats();
        return opened.store();
    }

    Repository openRepository(BlobStore store) throws IOException {
        if (!Repository.exists(store)) {
            throw new RepositoryNotFoundException("no repository at " + store.location() + " (create one with 'kiln init')");
        }
        Repository repo = Repository.open(store, passwords().read(false), clock, cacheOptions());
        repo.cacheWarnings().forEach(w -> err.println("warning: " + w));
        repo.indexProblems().forEach(p -> err.println("warning: " + p + "; blobs it named look missing (kiln repair index)"));
        return repo;
    }

    /**
     * This machine's name as the kernel has it (what restic's os.Hostname() gives): read, not resolved. The JDK's
     * {@code getLocalHost()} looks the name's address up first: ~12 ms of every command, a stall as long as the
     * resolver's timeouts where that lookup hangs, and "localhost" where it fails. Elsewhere than Linux, the JDK's.
     */
    static String hostname() {
        try {
            String name = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the JDK's answer
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String username() {
        return System.getProperty("user.name", "");
    }
}
