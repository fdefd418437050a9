package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs kiln commands in-process with a given environment and captures their output. */
public final class CliRunner {
    private final Map<String, String> env = new HashMap<>();

    public CliRunner() {
        // The build points the tests' caches into target/ (see the root pom); a test that sets its own wins.
        String cache = System.getenv("XDG_CACHE_HOME");
        if (cache != null) {
            env.put("XDG_CACHE_HOME", cache);
        }
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public record Result(int exitCode, String out, String err) {
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env));
        return new Result(code, out.toString(), err.toString());
    }
}
