package dev.kiln.cli.option;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the repository password: {@code --password-file}, then {@code KILN_PASSWORD_FILE},
 * {@code KILN_PASSWORD_COMMAND}, {@code KILN_PASSWORD}, and last a prompt on the terminal.
 * A trailing newline of a file or command output is not part of the password.
 */
public final class PasswordSource {
    private final Map<String, String> env;
    private final Optional<Path> passwordFile;

    public PasswordSource(Map<String, String> env, Optional<Path> passwordFile) {
        this.env = env;
        this.passwordFile = passwordFile;
    }

    public byte[] read(boolean confirm) throws IOException {
        if (passwordFile.isPresent()) {
            return fromFile(passwordFile.get());
        }
        if (present("KILN_PASSWORD_FILE")) {
            return fromFile(Path.of(env.get("KILN_PASSWORD_FILE")));
        }
        if (present("KILN_PASSWORD_COMMAND")) {
            return fromCommand(env.get("KILN_PASSWORD_COMMAND"));
        }
        if (present("KILN_PASSWORD")) {
            return env.get("KILN_PASSWORD").getBytes(StandardCharsets.UTF_8);
        }
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new IOException("no password: not on a terminal, and none of --password-file, KILN_PASSWORD_FILE, "
                    + "KILN_PASSWORD_COMMAND, KILN_PASSWORD is set");
        }
        char[] first = console.readPassword("repository password: ");
        if (first == null) {
            throw new IOException("no password entered");
        }
        if (confirm) {
            char[] second = console.readPassword("enter it again: ");
            if (second == null || !Arrays.equals(first, second)) {
                throw new IOException("the passwords do not match");
            }
        }
        if (first.length == 0) {
            throw new IOException("empty password");
        }
        return new String(first).getBytes(StandardCharsets.UTF_8);
    }

    private boolean present(String name) {
        return env.get(name) != null && !env.get(name).isEmpty();
    }

    private static byte[] fromFile(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read password file " + file + ": " + e.getMessage(), e);
        }
        return stripNewline(b);
    }

    private static byte[] fromCommand(String command) throws IOException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("KILN_PASSWORD_COMMAND failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running KILN_PASSWORD_COMMAND");
        }
        return stripNewline(out);
    }

    private static byte[] stripNewline(byte[] b) {
        int n = b.length;
        if (n > 0 && b[n - 1] == '\n') {
            n--;
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
        }
        return Arrays.copyOf(b, n);
    }
}
