package io.pitrconsole.cli;

import io.pitrconsole.core.PitrException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** The command-line face of PITR Console: one picocli command tree over the services. */
@Command(name = "pitr-console", versionProvider = PitrCli.Version.class,
        description = "PostgreSQL point-in-time recovery console: base backups, WAL archive, recovery windows, restores.",
        subcommands = {})
public final class PitrCli {
    private static final Logger LOG = LoggerFactory.getLogger(PitrCli.class);

    /** The verb groups, in the order help lists them. */
    private static final Map<String, Class<?>> GROUPS = groups();

    private static Map<String, Class<?>> groups() {
        Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("backup", BackupCommand.class);
        m.put("archiving", ArchivingCommand.class);
        m.put("schedule", ScheduleCommand.class);
        m.put("cleanup", CleanupCommand.class);
        m.put("health", HealthCommand.class);
        m.put("serve", ServeCommand.class);
        m.put("windows", WindowsCommand.class);
        m.put("wal", WalCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("restore", RestoreCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version")
    boolean version;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    /** Runs the CLI and returns the exit status: 0 ok, 1 failed, 2 bad usage. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in) {
        CliContext ctx = new CliContext(env, out, err, in);
        Warmup.start(args.length > 0 ? args[0] : "");
        Factory factory = new Factory(ctx);
        CommandLine cl = new CommandLine(new PitrCli(), factory);
        // Building picocli's model of every verb costs startup time that a one-shot command
        // (run from cron, say) pays each time, so only the named group is built; help gets all.
        boolean oneGroup = args.length > 0 && GROUPS.containsKey(args[0]);
        GROUPS.forEach((name, type) -> {
            if (!oneGroup || name.equals(args[0])) {
                cl.addSubcommand(name, new CommandLine(type, factory));
            }
        });
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof PitrException pe) {
                LOG.debug("failure", pe);
                err.println("error: " + pe.getMessage());
                if (!pe.hint().isEmpty()) {
                    err.println("hint: " + pe.hint());
                }
            } else {
                LOG.error("unexpected failure", ex);
                err.println("error: unexpected failure: " + ex);
                err.println("hint: this is a bug in pitr-console; run again with --verbose and report the output");
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("hint: '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' lists the options");
            err.flush();
            return 2;
        });
        try {
            if (args.length == 0) {
                cl.usage(out);
                return 0;
            }
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PitrCli.class.getPackage().getImplementationVersion();
            return new String[] {"pitr-console " + (v == null ? "development build" : v)};
        }
    }

    /** Builds commands, handing each the run's context. */
    private record Factory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
