package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs 'restore check' on a test cluster's archive, as a user would, and reads its checks. */
final class RestoreCheckCli {
    private RestoreCheckCli() {
    }

    /** Asserts no check fails and the programs found are the backup's own major's. */
    static void passesWithProgramsOf(PgTestCluster c, int major, String... target) throws IOException {
        List<String> args = new ArrayList<>(List.of("restore", "check"));
        args.addAll(List.of(target));
        args.addAll(List.of("--json", "--archive", c.archiveDir().toString(), "-U", PgTestCluster.SUPERUSER,
                "--pg-bin", c.installation().binDir().toString()));
        CliRunner.Result r = CliRunner.run(Map.of(), args.toArray(String[]::new));
        assertThat(r.noStackTrace()).isTrue();
        JsonNode checks = Json.mapper().readTree(r.out()).get("checks");
        assertThat(checks).as(r.out() + r.err()).isNotEmpty();
        for (JsonNode check : checks) {
            assertThat(check.get("level").asText()).as(check.toString()).isNotEqualTo("fail");
            if (check.get("name").asText().equals("PostgreSQL programs")) {
                assertThat(check.get("detail").asText()).contains("version " + major + ".");
            }
        }
        assertThat(checks.findValuesAsText("name")).contains("PostgreSQL programs");
    }
}
