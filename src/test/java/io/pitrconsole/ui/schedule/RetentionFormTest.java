package io.pitrconsole.ui.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileResolver;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.schedule.JobConnection;
import io.pitrconsole.schedule.RetentionPolicy;
import io.pitrconsole.schedule.ScheduleConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionFormTest {
    @Test
    void loadingAndSavingKeepsTheFileAsItWasAndCarriesCompressionOver() {
        ScheduleConfig c = new ScheduleConfig(new ScheduleConfig.Job(true, "daily", null, "02:00"),
                new ScheduleConfig.Job(false, "weekly", "sunday", "03:00"), new RetentionPolicy(7, 4, 12), 50, 36, "gzip");
        RetentionForm f = new RetentionForm();
        f.load(c);
        assertThat(f.cleanupDay().get()).isEqualTo("sunday");
        assertThat(f.backupDay().get()).isEqualTo(RetentionForm.EVERY_DAY);
        assertThat(f.toConfig()).isEqualTo(c);

        f.daily().set(3);
        f.backupDay().set("friday");
        f.backupTime().set("1:30");
        f.cleanupDay().set(RetentionForm.EVERY_DAY);
        ScheduleConfig edited = f.toConfig();
        assertThat(edited.retention()).isEqualTo(new RetentionPolicy(3, 4, 12));
        assertThat(edited.backup()).isEqualTo(new ScheduleConfig.Job(true, "weekly", "friday", "01:30"));
        assertThat(edited.cleanup()).isEqualTo(new ScheduleConfig.Job(false, "daily", null, "03:00"));
        assertThat(edited.compression()).isEqualTo("gzip");
    }

    @Test
    void aTimeThatIsNotATimeOfDayIsRefusedWithAHint() {
        RetentionForm f = new RetentionForm();
        f.load(ScheduleConfig.defaults());
        f.backupTime().set("2 am");
        assertThatThrownBy(f::toConfig).isInstanceOf(PitrException.class).hasMessageContaining("not a time of day");
        f.backupTime().set("25:00");
        assertThatThrownBy(f::toConfig).isInstanceOf(PitrException.class);
    }

    @Test
    void scheduledBackupsConnectLikeTheProfileWithoutAPassword() {
        Profile p = new Profile("prod", "db1", 5433, "backup", null, "/var/lib/pg", "postgres", "/backups", "/usr/lib/postgresql/15/bin");
        ProfileResolver r = ProfileResolver.forConsole(p, Map.of("PGPASSWORD", "secret"));
        assertThat(JobConnection.of(Optional.of(p.name()), r.connection(ProfileResolver.Overrides.NONE), r.pg(ProfileResolver.Overrides.NONE))
                .args()).containsExactly("--profile", "prod", "-h", "db1", "-p", "5433", "-U", "backup", "-d", "postgres",
                "--pg-bin", "/usr/lib/postgresql/15/bin", "--os-user", "postgres").doesNotContain("secret");
    }
}
