package io.pitrconsole.repository.pgbackrest;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.SearchPath;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ToolCommand;
import io.pitrconsole.pg.ToolResult;
import io.pitrconsole.repository.PgBackRestStanza;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest's own commands for one stanza, run as the server's OS user (who owns the repository
 * and pgBackRest's lock and log directories: run as root, pgBackRest would leave files there that
 * the server's archive-push could no longer write). The stanza, configuration file and repository
 * are the only options passed; a passphrase never is: pgBackRest reads it from its configuration or
 * its PGBACKREST_REPOn_CIPHER_PASS environment variable.
 */
public final class PgBackRestCommands {
    /** The versions this console has been tested with; others are refused at start-up, saying so. */
    public static final List<String> SUPPORTED = List.of("2.45");
    private static final Pattern VERSION = Pattern.compile("pgBackRest (\\d+\\.\\d+)(\\S*)");
    private static final Pattern ERROR = Pattern.compile("ERROR: \\[(\\d+)]: (.*)");
    // pgBackRest's error codes (src/build/error/error.yaml) this console explains
    private static final int FILE_MISSING = 55;
    private static final int OPTION_INVALID = 31;
    private static final int OPTION_INVALID_VALUE = 32;
    private static final int OPTION_REQUIRED = 37;
    private static final int CRYPTO = 95;
    private static final int FORMAT = 39;

    private final PgBackRestStanza stanza;
    private final Path program;
    private final PgToolRunner runner;
    private final Map<String, String> settings;

    private PgBackRestCommands(PgBackRestStanza stanza, Path program, PgToolRunner runner, Map<String, String> env) {
        this.stanza = stanza;
        this.program = program;
        this.runner = runner;
        // pgBackRest's own PGBACKREST_* settings (a passphrase among them) go to it through its environment only
        this.settings = env.entrySet().stream().filter(e -> e.getKey().startsWith("PGBACKREST_"))
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * The commands for a stanza, with pgbackrest found on PATH (or PITR_PGBACKREST) and its version
     * checked; a PitrException with a hint when it is missing or a version this console does not know.
     */
    public static PgBackRestCommands open(PgBackRestStanza stanza, Map<String, String> env) {
        Path program = locate(env);
        PgBackRestCommands commands = new PgBackRestCommands(stanza, program, new PgToolRunner(new OsUser(OsUser.DEFAULT)), env);
        commands.requireSupportedVersion();
        stanza.config().ifPresent(PgBackRestCommands::requireConfig);
        return commands;
    }

    private static Path locate(Map<String, String> env) {
        String explicit = env.get("PITR_PGBACKREST");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new PitrException("PITR_PGBACKREST names " + p + ", which is not an executable file",
                    "point PITR_PGBACKREST at the pgbackrest program, or unset it to use the one on PATH");
        }
        return SearchPath.find(env.getOrDefault("PATH", "/usr/bin:/bin"), "pgbackrest")
                .orElseThrow(() -> new PitrException("pgBackRest is not installed: no pgbackrest program on PATH",
                        "install pgBackRest " + String.join(" or ", SUPPORTED) + " (Debian and Ubuntu: apt install pgbackrest),"
                                + " or set PITR_PGBACKREST to the program"));
    }

    private static void requireConfig(Path config) {
        if (!Files.isRegularFile(config)) {
            throw new PitrException("pgBackRest configuration file " + config + " does not exist",
                    "pass the file pgBackRest is configured with (--pgbackrest-config FILE), or leave it out for pgBackRest's own"
                            + " /etc/pgbackrest/pgbackrest.conf");
        }
    }

    /** The version pgbackrest reports, e.g. 2.45. */
    public String version() {
        ToolResult r = runner.run(command(List.of("version"), false));
        Matcher m = VERSION.matcher(r.stdout().strip());
        if (!m.find()) {
            throw new PitrException(program + " is not pgBackRest: 'version' printed '" + r.stdout().strip() + "'",
                    "install pgBackRest " + String.join(" or ", SUPPORTED) + ", or set PITR_PGBACKREST to its program");
        }
        return m.group(1) + m.group(2);
    }

    private void requireSupportedVersion() {
        String v = version();
        if (!SUPPORTED.contains(v)) {
            throw new PitrException("pgBackRest " + v + " is not a version this console supports (" + String.join(", ", SUPPORTED) + ")",
                    "install pgBackRest " + String.join(" or ", SUPPORTED) + ", or set PITR_PGBACKREST to a supported pgbackrest program");
        }
    }

    /** The stanza. */
    public PgBackRestStanza stanza() {
        return stanza;
    }

    /** Runs a command of the stanza and returns its standard output as text; a clear error when it fails. */
    public String text(String... args) {
        return new String(bytes(args), StandardCharsets.UTF_8);
    }

    /** Runs a command of the stanza and returns its standard output byte for byte; a clear error when it fails. */
    public byte[] bytes(String... args) {
        PgToolRunner.RunningTool tool = runner.start(command(List.of(args), true), Cancellation.none(), line -> { });
        ToolResult r = tool.awaitAllowingFailure();
        if (r.exitCode() != 0) {
            throw failure(args[0], r);
        }
        return tool.stdoutBytes();
    }

    /** Runs a long command (backup, verify, restore), passing each line it logs on; a clear error when it fails. */
    public ToolResult run(List<String> args, Cancellation cancel, Consumer<String> lines) {
        ToolResult r = runner.runAllowingFailure(command(args, true), cancel, lines);
        if (r.exitCode() != 0) {
            throw failure(args.get(0), r);
        }
        return r;
    }

    /** The command line for one of the stanza's commands, as the server's archive_command or restore_command runs it. */
    public List<String> commandLine(String... args) {
        List<String> all = new ArrayList<>();
        all.add(program.toString());
        all.addAll(options(true));
        all.addAll(List.of(args));
        return all;
    }

    /**
     * One of the stanza's commands as a line for the server's /bin/sh (archive_command, restore_command);
     * a PitrException when a path in it would need quoting.
     */
    public String shellLine(String... args) {
        List<String> words = commandLine(args);
        if (args.length > 0 && args[0].equals("archive-push")) {
            // archive-push takes no --repo: it pushes to every repository of the stanza
            words.removeIf(w -> w.startsWith("--repo="));
        }
        for (String w : words) {
            if (!w.matches("[A-Za-z0-9_./@+=,:~-]+")) {
                throw new PitrException("'" + w + "' cannot go into a server setting unquoted",
                        "keep pgBackRest's program and configuration file at paths of letters, digits and _ . / - only");
            }
        }
        return String.join(" ", words);
    }

    private ToolCommand command(List<String> args, boolean ofStanza) {
        List<String> all = new ArrayList<>(options(ofStanza));
        all.addAll(args);
        return new ToolCommand(program, all, settings, true, Optional.empty());
    }

    private List<String> options(boolean ofStanza) {
        List<String> opts = new ArrayList<>();
        stanza.config().ifPresent(c -> opts.add("--config=" + c));
        if (ofStanza) {
            opts.add("--stanza=" + stanza.name());
            stanza.repo().ifPresent(n -> opts.add("--repo=" + n));
        }
        return opts;
    }

    private PitrException failure(String verb, ToolResult r) {
        String said = r.stderrTail().stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit code " + r.exitCode());
        for (String line : r.stderrTail()) {
            Matcher m = ERROR.matcher(line.strip());
            if (m.find()) {
                said = m.group(2);
                return explain(verb, Integer.parseInt(m.group(1)), said);
            }
        }
        return new PitrException("pgbackrest " + verb + " failed for " + stanza.describe() + ": " + said,
                "run 'pgbackrest --stanza=" + stanza.name() + " " + verb + "' as the server's OS user to see pgBackRest's own words");
    }

    private PitrException explain(String verb, int code, String said) {
        String where = stanza.describe();
        if (code == OPTION_REQUIRED && said.contains("cipher-pass")) {
            code = CRYPTO;
        }
        return switch (code) {
            case CRYPTO, FORMAT -> new PitrException("pgBackRest cannot read " + where + ": " + said
                    + " (an encrypted repository whose passphrase pgBackRest was not given reads so)",
                    "give pgBackRest the repository's passphrase the way it reads it: repoN-cipher-pass in its configuration file"
                            + " (readable only by its OS user) or the PGBACKREST_REPO1_CIPHER_PASS environment variable; this console"
                            + " never takes a passphrase as an argument");
            case OPTION_INVALID, OPTION_INVALID_VALUE -> new PitrException("pgBackRest refuses the options for " + where + ": " + said,
                    "check --pgbackrest-repo (the repositories are those with a repoN-path in the configuration) and --pgbackrest-config");
            case FILE_MISSING -> new PitrException("pgBackRest could not find a file for " + where + ": " + said,
                    "check --pgbackrest-config and that the stanza exists ('pgbackrest info' lists the stanzas)");
            default -> new PitrException("pgbackrest " + verb + " failed for " + where + ": [" + code + "] " + said,
                    "run 'pgbackrest --stanza=" + stanza.name() + " " + verb + "' as the server's OS user to see pgBackRest's own words");
        };
    }
}
