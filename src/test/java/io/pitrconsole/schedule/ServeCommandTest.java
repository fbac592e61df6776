package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.it.CliRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'serve' as a user starts it: its own JVM, loopback by default, until it is stopped. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheNewVerbsAndServeHasItsOwnPortOption() {
        CliRunner.Result top = CliRunner.run(Map.of(), "--help");
        assertThat(top.exit()).as(top.err()).isZero();
        assertThat(top.out()).contains("cleanup", "health", "serve", "schedule");
        CliRunner.Result serve = CliRunner.run(Map.of(), "serve", "--help");
        assertThat(serve.exit()).isZero();
        assertThat(serve.out()).contains("--http-port").contains("default: 127.0.0.1").contains("--max-connections", "--request-timeout");
    }

    @Test
    void servesOnLoopbackFromItsOwnProcessUntilStopped() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("archive/wal_archive")).getParent();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main",
                "serve", "--no-server", "--http-port", "0", "--archive", archive.toString())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/api/backup-status and /metrics.*").matcher(String.valueOf(first));
            assertThat(m.matches()).as(first).isTrue();
            int port = Integer.parseInt(m.group(1));

            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/backup-status").toURL().openConnection();
            // an empty archive has no backup: critical, which a plain HTTP probe sees as 503
            assertThat(c.getResponseCode()).isEqualTo(503);
            String body = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"status\" : \"critical\"").contains("no restorable backup");
            HttpURLConnection metrics = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
            assertThat(metrics.getResponseCode()).isEqualTo(200);
            assertThat(new String(metrics.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("pitr_health_status 2");
        } finally {
            p.destroy();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
}
