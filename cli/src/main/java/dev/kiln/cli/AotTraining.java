package dev.kiln.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training run for the JDK's ahead-of-time cache (JEP 483/514/515), started by the launcher once per build
 * with {@code -XX:AOTCacheOutput}: it runs the everyday commands (init, backup, a no-change and an incremental
 * backup, ls, restore, check --read-data) on a small generated tree in {@code DIR}, so that later runs start
 * with kiln's classes loaded and linked and its hot methods profiled. Not a user command.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("src");
        generate(src, new SplittableRandom(1));
        Map<String, String> env = Map.of("KILN_PASSWORD", "training", "XDG_CACHE_HOME", dir.resolve("cache").toString(),
                "HOME", dir.toString());
        String repo = dir.resolve("repo").toString();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        String[][] steps = {
            {"init", "--repo", repo},
            {"backup", "--repo", repo, src.toString()},
            {"backup", "--repo", repo, src.toString()},
            null, // change some files
            {"backup", "--repo", repo, "--json", src.toString()},
            {"snapshots", "--repo", repo},
            {"ls", "--repo", repo, "latest"},
            {"restore", "--repo", repo, "latest", "--target", dir.resolve("restore").toString()},
            {"check", "--repo", repo, "--read-data"},
        };
        for (String[] step : steps) {
            if (step == null) {
                change(src, new SplittableRandom(2));
                continue;
            }
            int code = Main.run(step, quiet, quiet, env);
            if (code != 0) {
                System.err.println("training step " + String.join(" ", step) + " exited with " + code);
                System.exit(1);
            }
        }
    }

    /** Source-like text files in nested directories, and two larger files of mixed compressible data. */
    private static void generate(Path src, SplittableRandom random) throws IOException {
        String[] words = {"static", "int", "return", "struct", "void", "if", "else", "for", "const", "char", "unsigned", "->", "{", "}", ";"};
        for (int d = 0; d < 20; d++) {
            Path sub = Files.createDirectories(src.resolve("dir" + d).resolve("sub" + d % 4));
            for (int f = 0; f < 40; f++) {
                StringBuilder text = new StringBuilder();
                int n = 200 + random.nextInt(4000);
                for (int w = 0; w < n; w++) {
                    text.append(words[random.nextInt(words.length)]).append(w % 12 == 11 ? '\n' : ' ');
                }
                Files.writeString(sub.resolve("file" + f + ".c"), text, StandardCharsets.UTF_8);
            }
        }
        for (int b = 0; b < 2; b++) {
            byte[] data = new byte[24 << 20];
            for (int i = 0; i < data.length; i += 4096) {
                if (random.nextInt(3) == 0) {
                    for (int j = i; j < i + 4096; j++) {
                        data[j] = (byte) random.nextInt(256);
                    }
                } else {
                    java.util.Arrays.fill(data, i, i + 4096, (byte) ('a' + random.nextInt(20)));
                }
            }
            Files.write(src.resolve("large" + b + ".bin"), data);
        }
        Files.createSymbolicLink(src.resolve("link"), Path.of("dir0"));
    }

    private static void change(Path src, SplittableRandom random) throws IOException {
        for (int d = 0; d < 20; d += 3) {
            Path f = src.resolve("dir" + d).resolve("sub" + d % 4).resolve("file1.c");
            Files.writeString(f, "changed " + random.nextLong() + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
