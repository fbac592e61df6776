package io.pitrconsole.recovery.run;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ToolCommand;
import io.pitrconsole.pg.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a query on a restored server with psql. A rehearsal server is reached as the server's OS
 * user through its private socket directory (nobody else can enter it); an in-place restore through
 * the user's own connection settings, passwords coming from the password file as always.
 */
public final class SqlProbe {
    private final PgToolRunner runner;
    private final ToolCommand base;

    private SqlProbe(PgToolRunner runner, ToolCommand base) {
        this.runner = runner;
        this.base = base;
    }

    public static SqlProbe viaSocket(PgInstallation inst, PgToolRunner runner, Path socketDir, int port, String role, String database) {
        return new SqlProbe(runner, new ToolCommand(inst.tool("psql"), List.of("-h", socketDir.toString(), "-p", String.valueOf(port),
                "-U", role, "-d", database), Map.of(), true, Optional.empty()));
    }

    static SqlProbe viaConnection(PgInstallation inst, PgToolRunner runner, ConnectionSettings c, String database) {
        List<String> args = new ArrayList<>(c.toolArgs());
        args.addAll(List.of("-d", database));
        return new SqlProbe(runner, new ToolCommand(inst.tool("psql"), args, c.toolEnv(), false, Optional.empty()));
    }

    /** The same connection with these server settings for its sessions (PGOPTIONS), after any the user set. */
    SqlProbe withOptions(String options) {
        String before = Optional.ofNullable(base.env().get("PGOPTIONS")).orElse(Optional.ofNullable(System.getenv("PGOPTIONS")).orElse(""));
        return new SqlProbe(runner, base.withEnv(Map.of("PGOPTIONS", (before + " " + options).strip())));
    }

    /** Rows of tab-separated values; a failing query becomes a PitrException with psql's message. */
    List<List<String>> query(String sql) {
        ToolCommand cmd = base.withArgs(List.of("-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql))
                .withEnv(Map.of("PGCONNECT_TIMEOUT", "10"));
        ToolResult r = runner.runAllowingFailure(cmd, io.pitrconsole.core.Cancellation.none(), l -> { });
        if (r.exitCode() != 0) {
            String why = r.stderrTail().isEmpty() ? "exit code " + r.exitCode() : String.join(" ", r.stderrTail());
            throw new PitrException("query on the restored server failed: " + why.strip(), "see the server log of the restore");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                rows.add(Arrays.asList(line.split("\t", -1)));
            }
        }
        return rows;
    }

    /** The first column of the first row. */
    String one(String sql) {
        List<List<String>> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** A SQL string literal (standard_conforming_strings is on in every supported version). */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
