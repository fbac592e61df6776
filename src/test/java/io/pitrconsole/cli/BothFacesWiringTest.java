package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.schedule.Launcher;
import io.pitrconsole.schedule.ScheduleService;
import io.pitrconsole.schedule.Schedulers;
import io.pitrconsole.ui.ClusterSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the console build a profile's services in one place: for the same
 * profile (and no PG* variables) the scheduled jobs get the same arguments, and removing them says
 * the same.
 */
class BothFacesWiringTest {
    @Test
    void scheduledJobsGetTheSameArgumentsFromEitherFace(@TempDir Path tmp) throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        Path crontab = tmp.resolve("crontab");
        Path config = tmp.resolve("config");
        Profile prod = new Profile("prod", "db1", 5433, "backup", "shop", null, "pgadmin", archive.toString(), "/opt/pg15/bin");
        new ProfileStore(config.resolve("pitr-console").resolve("profiles.json")).put(prod, true);
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString(), Schedulers.CRONTAB_FILE_ENV, crontab.toString());
        Path program = Path.of("/bin/true");

        CliRunner.Result cli = CliRunner.run(env, "schedule", "install", "--cron", "--print", "--launcher", program.toString());
        assertThat(cli.exit()).as(cli.err()).isZero();
        ScheduleService console = new ClusterSession(prod, env).jobs();
        String shown = console.preview(ScheduleService.Scheduler.CRON, Launcher.of(program));

        assertThat(cli.out()).isEqualTo(shown)
                .contains("'--profile' 'prod' '-h' 'db1' '-p' '5433' '-U' 'backup' '-d' 'shop' '--pg-bin' '/opt/pg15/bin' '--os-user' 'pgadmin'");

        CliRunner.Result removed = CliRunner.run(env, "schedule", "remove", "--cron");
        assertThat(removed.out().strip()).isEqualTo(String.join("\n", console.remove(Set.of(ScheduleService.Scheduler.CRON))))
                .isEqualTo("no cron jobs for " + archive + " were installed");
        assertThat(console.remove(Set.of(ScheduleService.Scheduler.CRON, ScheduleService.Scheduler.SYSTEMD)))
                .isEqualTo(List.of("no scheduled jobs for " + archive + " were installed"));
    }

}
