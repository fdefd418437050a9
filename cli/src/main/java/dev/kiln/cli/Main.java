package dev.kiln.cli;

import dev.kiln.cli.command.KilnCommand;
import dev.kiln.core.repo.Preload;
import java.io.PrintWriter;
import java.util.Map;

/** Entry point of the {@code kiln} launcher. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Preload.start(); // OpenSSL, libsodium/libargon2, RocksDB and zstd load while the arguments are parsed
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs one command in-process; returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return KilnCommand.commandLine(out, err, env, args).execute(args);
    }
}
