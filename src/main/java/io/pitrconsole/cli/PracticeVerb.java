package io.pitrconsole.cli;

import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Base of the 'demo' verbs: where the practice cluster lives. */
abstract class PracticeVerb extends Verb {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "practice cluster directory (default: ~/.local/share/pitr-console/practice; as root /var/lib/pitr-console/practice)")
    Path dir;

    protected PracticeVerb(CliContext ctx) {
        super(ctx);
    }

    protected PracticeCluster practice() {
        PracticeLayout layout = dir != null ? new PracticeLayout(dir) : PracticeLayout.standard(ctx.env(), OsUser.currentIsRoot());
        return new PracticeCluster(layout, pg(), ProfileStore.standard(ctx.env()));
    }
}
