package io.pitrconsole.cli.demo;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeClusters;
import io.pitrconsole.practice.PracticeLayout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Base of the 'demo' verbs: where the practice cluster lives. */
abstract class PracticeVerb extends Verb {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "practice cluster directory (default: where the practice profile's cluster is, else"
                    + " ~/.local/share/pitr-console/practice; as root /var/lib/pitr-console/practice)")
    Path dir;

    protected PracticeVerb(CliContext ctx) {
        super(ctx);
    }

    protected PracticeCluster practice() {
        return new PracticeClusters(ProfileStore.standard(ctx.env()), PracticeLayout.standard(ctx.env(), OsUser.currentIsRoot()), ctx.env())
                .open(Optional.ofNullable(dir), Optional.ofNullable(global.profile), Optional.ofNullable(global.pgBin),
                        Optional.ofNullable(global.osUser));
    }
}
