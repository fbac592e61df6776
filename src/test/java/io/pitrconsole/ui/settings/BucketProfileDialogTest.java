package io.pitrconsole.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
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

/** The profile dialog names a bucket: the S3 fields appear for an s3:// archive, "Test archive" lists it, and Save keeps no key. */
@ExtendWith(ApplicationExtension.class)
class BucketProfileDialogTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    static Path config;

    private ConsoleModel model;

    @Start
    void start(Stage stage) {
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put("HOME", config.toString());
        env.put("XDG_CACHE_HOME", config.resolve("cache").toString());
        model = new ConsoleModel(env, new ProfileStore(config.resolve("profiles.json")), new UiPreferencesStore(config.resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1100, 900));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void aBucketIsNamedTestedAndSavedWithoutAKey(FxRobot robot) throws Exception {
        String bucket = s3.newBucket();
        try (S3Client c = s3.client()) {
            c.putObject(r -> r.bucket(bucket).key("main/backup_20261201_020000/backup.json"), RequestBody.fromString("{}"));
            c.putObject(r -> r.bucket(bucket).key("main/wal_archive/000000010000000000000001"), RequestBody.fromString("x"));
        }
        robot.clickOn("#nav-settings");
        robot.clickOn("#profile-add");
        type(robot, "#profile-name", "bucket");
        assertThat(robot.lookup("#profile-s3-endpoint").queryAs(Node.class).isVisible()).as("no S3 fields for an empty archive").isFalse();
        type(robot, "#profile-archive", "s3://no-such-bucket-here/main");
        assertThat(robot.lookup("#profile-s3-endpoint").queryAs(Node.class).isVisible()).isTrue();
        assertThat(robot.lookup("#profile-s3-keys-note").queryAs(javafx.scene.control.Label.class).getText()).contains("AWS_ACCESS_KEY_ID");
        type(robot, "#profile-s3-endpoint", s3.endpoint().toString());
        robot.clickOn("#profile-s3-path-style");
        assertThat(robot.lookup("#profile-s3-path-style").queryAs(CheckBox.class).isSelected()).isTrue();

        robot.clickOn("#profile-test-archive");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !result(robot).isEmpty() && !result(robot).startsWith("listing"));
        assertThat(result(robot)).contains("there is no bucket 'no-such-bucket-here'").contains("Hint: create the bucket first");
        assertThat(robot.lookup("#profile-test-archive-result").queryAs(Node.class).getStyleClass()).contains("danger");

        TextField archive = robot.lookup("#profile-archive").queryAs(TextField.class);
        robot.interact(() -> archive.setText("s3://" + bucket + "/main"));
        robot.clickOn("#profile-test-archive");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> result(robot).startsWith("Reached"));
        assertThat(result(robot)).isEqualTo("Reached s3://" + bucket + "/main at " + s3.endpoint() + ": 1 backup, 1 WAL file archived");
        assertThat(robot.lookup("#profile-test-archive-result").queryAs(Node.class).getStyleClass()).contains("success");

        robot.clickOn("#profile-save");
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(store.file()) && store.find("bucket").isPresent());
        Profile saved = store.find("bucket").orElseThrow();
        assertThat(saved.archive()).isEqualTo("s3://" + bucket + "/main");
        assertThat(saved.s3Endpoint()).isEqualTo(s3.endpoint().toString());
        assertThat(saved.s3PathStyle()).isTrue();
        assertThat(Files.readString(store.file())).doesNotContain(s3.credentials().get("AWS_SECRET_ACCESS_KEY"))
                .doesNotContain(s3.credentials().get("AWS_ACCESS_KEY_ID"));
    }

    private static String result(FxRobot robot) {
        return robot.lookup("#profile-test-archive-result").queryAs(TextInputControl.class).getText();
    }

    private static void type(FxRobot robot, String id, String text) {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        robot.clickOn(f).write(text);
        assertThat(f.getText()).isEqualTo(text);
    }
}
