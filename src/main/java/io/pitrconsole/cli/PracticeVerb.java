package io.pitrconsole.cli;

import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.practice.PracticeLocator;
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
        ProfileStore profiles = ProfileStore.standard(ctx.env());
        PracticeLayout layout = dir != null ? new PracticeLayout(dir) : new PracticeLocator(profiles)
                .locate(Optional.ofNullable(global.profile), PracticeLayout.standard(ctx.env(), OsUser.currentIsRoot()));
        return new PracticeCluster(layout, pg(), profiles);
    }
}
