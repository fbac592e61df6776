package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 'schedule verify-deps' against a real server and its PostgreSQL programs. */
class ScheduleVerifyDepsTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private String[] args(int port, String... extra) {
        String[] base = {"schedule", "verify-deps", "--archive", pg.cluster().archiveDir().toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres",
                "--pg-bin", pg.cluster().installation().binDir().toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void passesAgainstAReachableServerWithMatchingTools() throws Exception {
        CliRunner.Result r = CliRunner.run(Map.of(), args(pg.cluster().port(), "--json"));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode findings = Json.mapper().readTree(r.out());
        assertThat(findings).extracting(f -> f.get("check").asText()).contains("server", "pg tools", "archive", "free space");
        for (JsonNode f : findings) {
            if (!f.get("check").asText().matches("gzip|zstd")) {
                assertThat(f.get("level").asText()).as(f.toString()).isEqualTo("pass");
            }
        }
        assertThat(r.out()).contains("PostgreSQL 15.");
    }

    @Test
    void unreachableServerFailsWithAHint() {
        CliRunner.Result r = CliRunner.run(Map.of(), args(1));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("fail\\s+server").contains("hint:");
        assertThat(r.noStackTrace()).isTrue();
    }
}
