package io.pitrconsole.pg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a PostgreSQL program: the program, its arguments, extra environment and whether it
 * must run as the server's OS user. Arguments never hold a password: libpq reads those from the
 * password file named in the environment.
 */
public record ToolCommand(Path program, List<String> args, Map<String, String> env, boolean asServerUser,
                          Optional<Path> workDir) {

    public ToolCommand {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    public static ToolCommand of(Path program, String... args) {
        return new ToolCommand(program, List.of(args), Map.of(), false, Optional.empty());
    }

    public ToolCommand withArgs(List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return new ToolCommand(program, all, env, asServerUser, workDir);
    }

    public ToolCommand withEnv(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(more);
        return new ToolCommand(program, args, all, asServerUser, workDir);
    }

    public ToolCommand runAsServerUser() {
        return new ToolCommand(program, args, env, true, workDir);
    }

    public String name() {
        return program.getFileName().toString();
    }

    /** The command line as it may be logged: arguments that could carry a secret are masked. */
    public String printable() {
        StringBuilder sb = new StringBuilder(program.toString());
        for (String a : args) {
            sb.append(' ');
            String shown = a.toLowerCase(java.util.Locale.ROOT).contains("password=") ? "<redacted>" : a;
            sb.append(shown.isEmpty() || shown.contains(" ") ? "'" + shown + "'" : shown);
        }
        return sb.toString();
    }
}
