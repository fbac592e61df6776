package io.pitrconsole.repository.pgbackrest;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ToolResult;
import io.pitrconsole.repository.BackupTool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest's backup and verify for a stanza. A backup runs with --log-level-console=detail,
 * (to standard error, where the runner reads lines) whose line per file names the share done ("(8KB, 10.50%)"): that is the progress. verify
 * prints one paragraph per set (--output=text), read here into one result per set.
 */
final class PgBackRestBackups implements BackupTool {
    private static final Pattern PERCENT = Pattern.compile("\\(([^,()]+), (\\d+(?:\\.\\d+)?)%\\)");
    private static final Pattern LABEL = Pattern.compile("new backup label = (\\S+)");
    private static final Pattern SET = Pattern.compile("backup: (\\S+), status: (\\S+), total files checked: (\\d+), total valid files: (\\d+)");
    private static final Pattern COUNTS = Pattern.compile("missing: (\\d+), checksum invalid: (\\d+), size invalid: (\\d+), other: (\\d+)");

    private final PgBackRestCommands commands;

    PgBackRestBackups(PgBackRestCommands commands) {
        this.commands = commands;
    }

    @Override
    public List<String> types() {
        return List.of("incr", "full", "diff");
    }

    @Override
    public String take(String type, Progress log, Cancellation cancel) {
        if (!types().contains(type)) {
            throw new PitrException("'" + type + "' is not a pgBackRest backup type", "use --type full, diff or incr");
        }
        String[] label = new String[1];
        // pgBackRest logs to standard error only what is at or above --log-level-stderr; the runner passes those lines on
        commands.run(List.of("backup", "--type=" + type, "--log-level-console=off", "--log-level-stderr=detail"), cancel, line -> {
            Matcher p = PERCENT.matcher(line);
            Matcher l = LABEL.matcher(line);
            if (l.find()) {
                label[0] = l.group(1);
            }
            log.line(p.find() ? Double.parseDouble(p.group(2)) : -1, line);
        });
        if (label[0] == null) {
            throw new PitrException("pgbackrest backup finished without naming its new set",
                    "run 'pgbackrest --stanza=" + commands.stanza().name() + " info' to see whether the set is there");
        }
        return label[0];
    }

    @Override
    public List<Checked> verify(Consumer<String> log, Cancellation cancel) {
        ToolResult r = commands.run(List.of("verify", "--output=text", "--verbose"), cancel, log);
        List<Checked> out = new ArrayList<>();
        String[] lines = r.stdout().split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher set = SET.matcher(lines[i]);
            if (!set.find()) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            Matcher counts = i + 1 < lines.length ? COUNTS.matcher(lines[i + 1]) : null;
            if (counts != null && counts.find()) {
                String[] names = {"missing", "checksum invalid", "size invalid", "other"};
                for (int k = 0; k < 4; k++) {
                    int n = Integer.parseInt(counts.group(k + 1));
                    if (n > 0) {
                        problems.add(n + " file(s) " + names[k]);
                    }
                }
            }
            boolean valid = set.group(2).equals("valid");
            if (!valid && problems.isEmpty()) {
                problems.add("pgBackRest reports the set " + set.group(2));
            }
            out.add(new Checked(set.group(1), valid, Integer.parseInt(set.group(3)), problems));
        }
        return out;
    }
}
