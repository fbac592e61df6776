package io.pitrconsole.cli;

import io.pitrconsole.cli.archiving.ArchivingApplyCommand;
import io.pitrconsole.cli.archiving.ArchivingCommand;
import io.pitrconsole.cli.archiving.ArchivingGenerateCommand;
import io.pitrconsole.cli.archiving.ArchivingStatsCommand;
import io.pitrconsole.cli.archiving.ArchivingVerifyCommand;
import io.pitrconsole.cli.backup.BackupCommand;
import io.pitrconsole.cli.backup.BackupCreateCommand;
import io.pitrconsole.cli.backup.BackupDeleteCommand;
import io.pitrconsole.cli.backup.BackupListCommand;
import io.pitrconsole.cli.backup.BackupShowCommand;
import io.pitrconsole.cli.backup.BackupStatsCommand;
import io.pitrconsole.cli.backup.BackupVerifyCommand;
import io.pitrconsole.cli.demo.DemoCommand;
import io.pitrconsole.cli.demo.DemoRemoveCommand;
import io.pitrconsole.cli.demo.DemoStartCommand;
import io.pitrconsole.cli.demo.DemoStatusCommand;
import io.pitrconsole.cli.demo.DemoStopCommand;
import io.pitrconsole.cli.key.KeyAddCommand;
import io.pitrconsole.cli.key.KeyCommand;
import io.pitrconsole.cli.key.KeyCreateCommand;
import io.pitrconsole.cli.key.KeyRotateCommand;
import io.pitrconsole.cli.key.KeyShowCommand;
import io.pitrconsole.cli.restore.RestoreCheckCommand;
import io.pitrconsole.cli.restore.RestoreCommand;
import io.pitrconsole.cli.restore.RestoreDiscardCommand;
import io.pitrconsole.cli.restore.RestoreHistoryCommand;
import io.pitrconsole.cli.restore.RestoreListCommand;
import io.pitrconsole.cli.restore.RestorePlanCommand;
import io.pitrconsole.cli.restore.RestoreRollbackCommand;
import io.pitrconsole.cli.restore.RestoreRunCommand;
import io.pitrconsole.cli.restore.RestoreVerifyCommand;
import io.pitrconsole.cli.schedule.CleanupCommand;
import io.pitrconsole.cli.schedule.HealthCommand;
import io.pitrconsole.cli.schedule.ScheduleCommand;
import io.pitrconsole.cli.schedule.ScheduleInstallCommand;
import io.pitrconsole.cli.schedule.ScheduleRemoveCommand;
import io.pitrconsole.cli.schedule.ScheduleStatusCommand;
import io.pitrconsole.cli.schedule.ScheduleVerifyDepsCommand;
import io.pitrconsole.cli.schedule.ServeCommand;
import io.pitrconsole.cli.wal.WalCommand;
import io.pitrconsole.cli.wal.WalStatusCommand;
import io.pitrconsole.cli.wal.WindowsCommand;
import io.pitrconsole.core.CommandName;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.Printable;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The command-line face of PITR Console: one picocli command tree over the services. */
@Command(name = "pitr-console", versionProvider = PitrCli.Version.class,
        description = "PostgreSQL point-in-time recovery console: base backups, WAL archive, recovery windows, restores.",
        subcommands = {})
public final class PitrCli {

    /**
     * The verbs, in the order help lists them: each group with its leaf verbs. The leaves are
     * listed here rather than in the groups' annotations so that a command line naming one leaf
     * builds picocli's model of that leaf alone (see {@link #run}).
     */
    private static final Map<String, List<Class<?>>> GROUPS = groups();

    private static Map<String, List<Class<?>>> groups() {
        Map<String, List<Class<?>>> m = new LinkedHashMap<>();
        m.put("backup", List.of(BackupCommand.class, BackupCreateCommand.class, BackupListCommand.class, BackupShowCommand.class,
                BackupStatsCommand.class, BackupVerifyCommand.class, BackupDeleteCommand.class));
        m.put("archiving", List.of(ArchivingCommand.class, ArchivingGenerateCommand.class, ArchivingApplyCommand.class,
                ArchivingVerifyCommand.class, ArchivingStatsCommand.class));
        m.put("schedule", List.of(ScheduleCommand.class, ScheduleInstallCommand.class, ScheduleStatusCommand.class,
                ScheduleRemoveCommand.class, ScheduleVerifyDepsCommand.class));
        m.put("cleanup", List.of(CleanupCommand.class));
        m.put("health", List.of(HealthCommand.class));
        m.put("check", List.of(CheckCommand.class));
        m.put("serve", List.of(ServeCommand.class));
        m.put("windows", List.of(WindowsCommand.class));
        m.put("wal", List.of(WalCommand.class, WalStatusCommand.class));
        m.put("demo", List.of(DemoCommand.class, DemoStartCommand.class, DemoStopCommand.class, DemoStatusCommand.class,
                DemoRemoveCommand.class));
        m.put("restore", List.of(RestoreCommand.class, RestorePlanCommand.class, RestoreRunCommand.class, RestoreDiscardCommand.class,
                RestoreRollbackCommand.class, RestoreHistoryCommand.class, RestoreCheckCommand.class,
                RestoreListCommand.class, RestoreVerifyCommand.class));
        m.put("key", List.of(KeyCommand.class, KeyCreateCommand.class, KeyShowCommand.class, KeyRotateCommand.class, KeyAddCommand.class));
        return Collections.unmodifiableMap(m);
    }

    /** A group with its leaves; only the leaf named on the command line when there is one. */
    private static CommandLine group(List<Class<?>> types, String[] args, Factory factory) {
        CommandLine group = new CommandLine(types.get(0), factory);
        List<Class<?>> leaves = types.subList(1, types.size());
        Optional<Class<?>> named = args.length > 1
                ? leaves.stream().filter(t -> t.getAnnotation(Command.class).name().equals(args[1])).findFirst()
                : Optional.empty();
        for (Class<?> leaf : named.map(List::<Class<?>>of).orElse(leaves)) {
            group.addSubcommand(new CommandLine(leaf, factory));
        }
        return group;
    }

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version")
    boolean version;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    /** Runs the CLI and returns the exit status: 0 ok, 1 failed, 2 bad usage. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in) {
        CliContext ctx = new CliContext(env, out, err, in);
        CompletableFuture<Void> logging = Warmup.start(args.length > 0 ? args[0] : "");
        Factory factory = new Factory(ctx);
        CommandLine cl = new CommandLine(new PitrCli(), factory);
        // usage and hints name the command as the user started it (in a checkout pitr-console is not on the PATH)
        cl.setCommandName(CommandName.current(env));
        // Building picocli's model of every verb costs startup time that a one-shot command
        // (run from cron, say) pays each time, so only the named verb is built; help gets all.
        boolean oneGroup = args.length > 0 && GROUPS.containsKey(args[0]);
        boolean versionOnly = args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"));
        GROUPS.forEach((name, types) -> {
            if (!versionOnly && (!oneGroup || name.equals(args[0]))) {
                cl.addSubcommand(name, group(types, oneGroup ? args : new String[0], factory));
            }
        });
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parsed -> {
            logging.join();
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof PitrException pe) {
                log().debug("failure", pe);
                // messages quote file contents and names: never let them drive the terminal
                err.println("error: " + Printable.escape(pe.getMessage()));
                if (!pe.hint().isEmpty()) {
                    err.println("hint: " + Printable.escape(pe.hint()));
                }
            } else {
                log().error("unexpected failure", ex);
                err.println("error: unexpected failure: " + Printable.escape(String.valueOf(ex)));
                err.println("hint: this is a bug in pitr-console; run again with --verbose and report the output");
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            // picocli starts some of its messages with its own "Error: "
            err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
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

    /** Looked up when needed: Warmup sets logging up beside the parsing, so no logger is taken before. */
    private static Logger log() {
        return LoggerFactory.getLogger(PitrCli.class);
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
