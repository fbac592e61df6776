package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cron and systemd installation against temp files only: the machine's crontab and units stay untouched. */
class ScheduleInstallTest {
    @TempDir
    Path tmp;

    private Path archive;
    private Path crontab;
    private Path units;
    private Map<String, String> env;

    @BeforeEach
    void dirs() throws Exception {
        archive = Files.createDirectories(tmp.resolve("archive"));
        crontab = tmp.resolve("crontab");
        units = tmp.resolve("units");
        env = Map.of("PITR_CRONTAB_FILE", crontab.toString(), "PITR_SYSTEMD_DIR", units.toString());
    }

    private CliRunner.Result cli(String... args) {
        return CliRunner.run(env, args);
    }

    @Test
    void printShowsCronLinesWithTheOriginalDefaultsAndWritesNothing() {
        CliRunner.Result r = cli("schedule", "install", "--cron", "--print", "--archive", archive.toString(), "-h", "db1", "-p", "5433");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("0 2 * * * ").contains("'backup' 'create' '--archive' '" + archive + "'")
                .contains("'-h' 'db1' '-p' '5433'").contains(">> '" + archive.resolve(".pitr/logs/backup.log") + "' 2>&1");
        assertThat(lines.get(1)).startsWith("0 3 * * 0 ").contains("'cleanup' '--yes' '--archive'");
        String program = lines.get(0).split("&& ")[1].split(" ")[0].replace("'", "");
        assertThat(Path.of(program)).isAbsolute().isExecutable();
        assertThat(crontab).doesNotExist();
        assertThat(archive.resolve("backup_schedule.json")).doesNotExist();
    }

    @Test
    void cronInstallKeepsOtherLinesReplacesItsBlockAndRemoveRestoresTheFile() throws Exception {
        String own = "# my own jobs\n15 4 * * * /usr/local/bin/rotate-logs\n";
        Files.writeString(crontab, own);
        assertThat(cli("schedule", "install", "--cron", "--archive", archive.toString()).exit()).isZero();
        assertThat(cli("schedule", "install", "--cron", "--archive", archive.toString()).exit()).isZero();
        String text = Files.readString(crontab);
        assertThat(text).startsWith(own);
        assertThat(text.split(">>> pitr-console", -1)).hasSize(2);
        assertThat(Files.readString(archive.resolve("backup_schedule.json")))
                .contains("\"time\" : \"02:00\"").contains("\"daily\" : 7").contains("\"weekly\" : 4").contains("\"monthly\" : 12")
                .contains("\"max_total_size_gb\" : 100").contains("\"alert_after_hours\" : 24").contains("\"day\" : \"sunday\"");

        CliRunner.Result status = cli("schedule", "status", "--archive", archive.toString());
        assertThat(status.out()).containsPattern("installed\\s+backup\\s+daily at 02:00\\s+next \\w{3} \\d{4}-\\d\\d-\\d\\d 02:00")
                .containsPattern("installed\\s+cleanup\\s+sundays at 03:00\\s+next Sun \\d{4}-\\d\\d-\\d\\d 03:00");

        assertThat(cli("schedule", "remove", "--archive", archive.toString()).exit()).isZero();
        assertThat(Files.readString(crontab)).isEqualTo(own);
        assertThat(cli("schedule", "status", "--archive", archive.toString()).out()).contains("installed   nothing");
    }

    @Test
    void cronCommandRunsUnderAShellWithItsArgumentsIntact() throws Exception {
        Path seen = tmp.resolve("seen");
        Path launcher = tmp.resolve("fake launcher");
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + seen + "'\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path odd = Files.createDirectories(tmp.resolve("it's an archive"));
        CliRunner.Result r = cli("schedule", "install", "--cron", "--print", "--archive", odd.toString(), "--launcher", launcher.toString(),
                "-h", "db 1", "-p", "5433", "-U", "o'brien", "-d", "shop");
        String line = r.out().lines().filter(l -> l.startsWith("0 2 ")).findFirst().orElseThrow();
        Process p = new ProcessBuilder("/bin/sh", "-c", line.substring("0 2 * * * ".length())).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readAllLines(seen)).containsExactly("backup", "create", "--archive", odd.toString(), "--compress", "zstd",
                "-h", "db 1", "-p", "5433", "-U", "o'brien", "-d", "shop", "--os-user", "postgres");
        assertThat(odd.resolve(".pitr/logs")).isDirectory();
    }

    @Test
    void systemdUnitsAreWrittenReadBackAndRemoved() throws Exception {
        Files.writeString(archive.resolve("backup_schedule.json"), "{\"backup\": {\"enabled\": true, \"frequency\": \"weekly\","
                + " \"day\": \"wednesday\", \"time\": \"23:30\"}, \"cleanup\": {\"enabled\": false, \"frequency\": \"daily\", \"time\": \"01:00\"},"
                + " \"retention\": {\"daily\": 3, \"weekly\": 2, \"monthly\": 1}, \"max_total_size_gb\": 5, \"alert_after_hours\": 36}");
        CliRunner.Result printed = cli("schedule", "install", "--systemd", "--print", "--archive", archive.toString());
        assertThat(printed.out()).contains("OnCalendar=Wed *-*-* 23:30:00").contains("Type=oneshot")
                .containsPattern("ExecStart=\"/[^\"]+\" ").contains("\"backup\" \"create\" \"--archive\" \"" + archive + "\"")
                .doesNotContain("cleanup");
        assertThat(units).doesNotExist();

        CliRunner.Result installed = cli("schedule", "install", "--systemd", "--archive", archive.toString());
        assertThat(installed.exit()).as(installed.err()).isZero();
        assertThat(installed.out()).contains("not enabled: run 'systemctl daemon-reload && systemctl enable --now pitr-console-backup-");
        try (Stream<Path> s = Files.list(units)) {
            assertThat(s.map(f -> f.getFileName().toString()).toList()).hasSize(2)
                    .allMatch(n -> n.matches("pitr-console-backup-[0-9a-f]{8}\\.(service|timer)"));
        }
        assertThat(cli("schedule", "status", "--archive", archive.toString()).out())
                .containsPattern("backup\\s+wednesdays at 23:30\\s+next Wed \\d{4}-\\d\\d-\\d\\d 23:30");
        assertThat(cli("schedule", "remove", "--systemd", "--archive", archive.toString()).exit()).isZero();
        try (Stream<Path> s = Files.list(units)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void badScheduleFileGivesAHint() throws Exception {
        Files.writeString(archive.resolve("backup_schedule.json"), "{\"backup\": {\"enabled\": true, \"frequency\": \"hourly\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": 7, \"weekly\": 4, \"monthly\": 12}, \"max_total_size_gb\": 100, \"alert_after_hours\": 24}");
        CliRunner.Result r = cli("schedule", "install", "--cron", "--archive", archive.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("frequency 'hourly' is not supported").contains("hint:");
        assertThat(r.noStackTrace()).isTrue();
    }

    @Test
    void theBackupJobIsPinnedToTheProfileAndServerItWasInstalledFor() throws Exception {
        Path config = tmp.resolve("config");
        ProfileStore store = new ProfileStore(config.resolve("pitr-console").resolve("profiles.json"));
        store.put(new Profile("prod", "db1", 5433, "backup", "shop", null, null, archive.toString(), null), true);
        Map<String, String> withProfiles = new java.util.HashMap<>(env);
        withProfiles.put("XDG_CONFIG_HOME", config.toString());
        assertThat(CliRunner.run(withProfiles, "schedule", "install", "--cron").exit()).isZero();
        // a later default profile must not redirect the installed job to another server
        store.put(new Profile("other", "db2", 5432, "backup", null, null, null, archive.toString(), null), true);
        String backupLine = Files.readAllLines(crontab).stream().filter(l -> l.contains("'backup' 'create'")).findFirst().orElseThrow();
        assertThat(backupLine).contains("'--profile' 'prod'").contains("'-h' 'db1' '-p' '5433' '-U' 'backup' '-d' 'shop'")
                .doesNotContain("db2");
    }

    @Test
    void onAMachineWithoutCronStatusSaysSoAndInstallExplains() throws Exception {
        Path emptyPath = Files.createDirectories(tmp.resolve("no-programs"));
        Map<String, String> noCron = Map.of("PATH", emptyPath.toString(), "PITR_SYSTEMD_DIR", units.toString());
        CliRunner.Result status = CliRunner.run(noCron, "schedule", "status", "--archive", archive.toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("not installed (cron is not available");
        assertThat(status.noStackTrace()).as(status.err()).isTrue();
        CliRunner.Result json = CliRunner.run(noCron, "schedule", "status", "--json", "--archive", archive.toString());
        assertThat(json.out()).contains("cron is not available");
        CliRunner.Result install = CliRunner.run(noCron, "schedule", "install", "--cron", "--archive", archive.toString());
        assertThat(install.exit()).isNotZero();
        assertThat(install.err()).contains("cron is not available").contains("hint: install cron");
        assertThat(install.noStackTrace()).as(install.err()).isTrue();
    }
}
