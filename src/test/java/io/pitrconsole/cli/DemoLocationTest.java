package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Json;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.practice.PracticeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo verbs without --dir act on the practice cluster the practice profile points at; --dir still wins. */
class DemoLocationTest {
    @Test
    void statusWithoutDirShowsThePracticeProfilesClusterAndDirStillWins(@TempDir Path tmp) throws Exception {
        PracticeLayout elsewhere = new PracticeLayout(tmp.resolve("elsewhere"));
        Files.createDirectories(elsewhere.base());
        Files.write(elsewhere.stateFile(), Json.mapper().writeValueAsBytes(new PracticeState(5499, "postgres", "postgres",
                "postgres", "/usr/lib/postgresql/15/bin", Instant.EPOCH, null, null, 3, 2, false)));
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString());
        new ProfileStore(tmp.resolve("config").resolve("pitr-console").resolve("profiles.json")).put(new Profile(
                PracticeCluster.PROFILE, "127.0.0.1", 5499, "postgres", "postgres", elsewhere.dataDirectory().toString(),
                "postgres", elsewhere.archiveDirectory().toString(), null), true);

        CliRunner.Result r = CliRunner.run(env, "demo", "status", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.get("directory").asText()).isEqualTo(elsewhere.base().toString());
        assertThat(j.get("exists").asBoolean()).isTrue();
        assertThat(j.get("cluster").get("port").asInt()).isEqualTo(5499);

        Path other = tmp.resolve("other");
        CliRunner.Result flag = CliRunner.run(env, "demo", "status", "--json", "--dir", other.toString());
        JsonNode f = Json.mapper().readTree(flag.out());
        assertThat(f.get("directory").asText()).isEqualTo(other.toString());
        assertThat(f.get("exists").asBoolean()).isFalse();

        // a second 'demo' sees the existing cluster instead of making another one in the default place
        CliRunner.Result again = CliRunner.run(env, "demo", "--history-seconds", "10");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("a practice cluster already exists in " + elsewhere.base());
    }
}
