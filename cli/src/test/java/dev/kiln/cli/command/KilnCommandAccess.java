package dev.kiln.cli.command;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** What the tests need to see of {@link KilnCommand}'s package-private table of subcommands. */
public final class KilnCommandAccess {
    private KilnCommandAccess() {
    }

    public static List<String> subcommandNames() {
        return KilnCommand.SUBCOMMANDS.stream().map(Map.Entry::getKey).toList();
    }

    /** The names the subcommands' own annotations give, in the table's order. */
    public static List<String> annotatedNames() {
        return KilnCommand.SUBCOMMANDS.stream().map(e -> e.getValue().getAnnotation(Command.class).name()).toList();
    }
}
