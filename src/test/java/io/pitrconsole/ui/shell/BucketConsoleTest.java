package io.pitrconsole.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.backups.BackupRow;
import io.pitrconsole.ui.timeline.RecoveryTimeline;
import io.pitrconsole.ui.timeline.TimelineData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console on a profile whose archive is a bucket of a real S3 API server (s3proxy): a real
 * PostgreSQL 15 backup and its archived WAL, copied object by object into the bucket, show on the
 * Backups, WAL Archiving, Recovery Timeline and Restore (plan) pages, and no page reports an error.
 */
@ExtendWith(ApplicationExtension.class)
class BucketConsoleTest {
    private static final String POINT = "before_bucket";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    static Path tmp;

    private static BackupRecord backup;
    private static String location;
    private static long segments;

    private ConsoleModel model;

    @BeforeAll
    static void aRealArchiveInABucket() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        backup = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup();
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 10) g");
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.sql("INSERT INTO t SELECT g FROM generate_series(11, 20) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(60));
        String bucket = s3.newBucket();
        location = "s3://" + bucket + "/clusters/main";
        Path root = c.archiveDir();
        try (S3Client client = s3.client(); Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(f).toString();
                // .pitr/ is the directory's own cache and locks: a bucket keeps those on this machine
                if (relative.startsWith(".pitr/") || f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                client.putObject(r -> r.bucket(bucket).key("clusters/main/" + relative), RequestBody.fromFile(f));
            }
        }
        try (Stream<Path> wal = Files.list(root.resolve("wal_archive"))) {
            segments = wal.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).count();
        }
    }

    @Start
    void start(Stage stage) {
        PgTestCluster c = pg.cluster();
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put("HOME", tmp.toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        ProfileStore store = new ProfileStore(tmp.resolve("config").resolve("profiles.json"));
        store.put(new Profile("bucket", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(), null,
                location, c.installation().binDir().toString(), s3.endpoint().toString(), null, true), true);
        model = new ConsoleModel(env, store, new UiPreferencesStore(tmp.resolve("config").resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1280, 800));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void everyPageShowsTheBucketsBackupsWalAndWindowsWithoutAnError(FxRobot robot) throws Exception {
        waitFor(60, () -> model.session().isPresent() && model.background().running().isEmpty());
        assertThat(model.session().orElseThrow().repository().location().toString()).isEqualTo(location);

        robot.clickOn("#nav-backups");
        @SuppressWarnings("unchecked")
        TableView<BackupRow> table = robot.lookup("#backup-table").queryAs(TableView.class);
        waitFor(60, () -> !table.getItems().isEmpty());
        assertThat(table.getItems()).extracting(BackupRow::id).containsExactly(backup.id());

        robot.clickOn("#nav-wal-archiving");
        waitFor(60, () -> robot.lookup("#stat-archive-size").queryAs(Label.class).getText().contains("segments"));
        assertThat(robot.lookup("#stat-archive-size").queryAs(Label.class).getText()).endsWith(" in " + segments + " segments");

        robot.clickOn("#nav-recovery-timeline");
        RecoveryTimeline timeline = robot.lookup("#recovery-timeline").queryAs(RecoveryTimeline.class);
        waitFor(60, () -> !timeline.dataProperty().get().lanes().isEmpty());
        TimelineData.Lane lane = timeline.dataProperty().get().lane(1).orElseThrow();
        assertThat(lane.backups().all()).extracting(TimelineData.BackupMark::id).containsExactly(backup.id());
        assertThat(lane.restorePoints().all()).extracting(p -> p.name()).containsExactly(POINT);
        assertThat(robot.lookup("#timeline-summary").queryAs(Label.class).getText()).startsWith("1 backup(s)").contains("no gaps");

        robot.clickOn("#nav-restore");
        robot.interact(() -> model.requestRestore(RecoveryTarget.name(POINT)));
        waitFor(60, () -> !robot.lookup("#restore-next").queryAs(Button.class).isDisabled());
        robot.clickOn("#restore-next");
        robot.clickOn("#mode-rehearsal");
        robot.clickOn("#restore-next");
        waitFor(60, () -> robot.lookup("#step-plan").query().isVisible() && !robot.lookup("#plan-planning").query().isVisible()
                && model.background().running().isEmpty());
        assertThat(robot.lookup("#plan-error").queryAs(Label.class).getText()).isEmpty();
        assertThat(robot.lookup("#plan-chosen-backup").queryAs(Label.class).getText()).contains(backup.id());
        assertThat(robot.lookup("#plan-wal").queryAs(ListView.class).getItems()).isNotEmpty();
        assertThat(robot.lookup("#plan-settings").queryAs(javafx.scene.control.TextInputControl.class).getText())
                .contains("recovery_target_name = '" + POINT + "'").contains("restore_command");

        List<Notice> errors = model.notices().stream().filter(n -> n.level() == Notice.Level.ERROR).toList();
        assertThat(errors).as("error notices").isEmpty();
    }

    @AfterAll
    static void removeTheScriptThePlanInstalled() throws Exception {
        // as root the bucket's script goes to the system folder (this test's cache is closed to others): its own folder only
        try (ClusterServices services = new ClusterServices(java.util.Optional::empty, () -> ClusterServices.openRepository(location,
                new S3Options(s3.endpoint().toString(), null, true), Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString())),
                () -> null, () -> null, Map.of())) {
            Path script = services.repository().wal().archiveCommand().script();
            if (script.startsWith("/var/lib/pitr-console/s3/")) {
                FileTrees.deleteRecursively(script.getParent().getParent());
            }
        }
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }
}
