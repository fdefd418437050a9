package dev.kiln.cli;

/** The documented exit codes of kiln (docs/cli.md). */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int PARTIAL = 3;
    public static final int NO_REPOSITORY = 10;
    public static final int LOCKED = 11;
    public static final int WRONG_PASSWORD = 12;
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    /** The table shown in {@code --help} and in docs/cli.md. */
    public static final String TABLE = """
            Exit codes:
              0    success
              1    failure; for check: damage found
              2    usage error
              3    partial: snapshot made, but some files could not be read
              10   no repository at the location
              11   repository locked by another process
              12   wrong password
              130  interrupted
            """;
}
