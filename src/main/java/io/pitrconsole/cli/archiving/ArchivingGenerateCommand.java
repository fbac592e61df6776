package io.pitrconsole.cli.archiving;

import io.pitrconsole.archiving.ArchivingSetup;
import io.pitrconsole.cli.CliContext;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.cli.Verb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", description = "Print the archiving settings and the archive_command script; changes nothing.")
public final class ArchivingGenerateCommand extends Verb {
    @Mixin
    ArchivingOptions options;

    @Option(names = "--script-only", description = "print only the archive_command script")
    boolean scriptOnly;

    ArchivingGenerateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        ArchivingSetup setup = services().archivingOffline().generate(options.compression(), options.archiveTimeout());
        var o = ctx.out();
        if (scriptOnly && !setup.ownScript()) {
            throw new PitrException("there is no archive_command script for this archive: archive_command runs " + setup.scriptPath()
                    + " as it is", "leave out --script-only to see the settings");
        }
        if (scriptOnly) {
            o.print(setup.script());
            return 0;
        }
        o.println("# postgresql.conf (wal_level and archive_mode need a server restart)");
        o.print(setup.confLines());
        o.print(ArchivingSetup.libraryConfLines());
        o.println();
        if (setup.ownScript()) {
            o.println("# " + setup.scriptPath() + " (installed by 'archiving apply'):");
            o.print(setup.script());
        } else {
            o.println("# archive_command runs " + setup.scriptPath() + " as it is; 'archiving apply' installs nothing, only sets the lines above");
        }
        return 0;
    }
}
