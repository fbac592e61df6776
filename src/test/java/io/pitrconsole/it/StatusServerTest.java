package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.HealthReport;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.schedule.StatusServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status HTTP endpoints over real loopback sockets, fed by a real archive and server. */
class StatusServerTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\]*\")*})? "
                    + "(-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?|NaN|[+-]Inf)");

    private record Response(int status, String type, String body) {
    }

    @BeforeAll
    static void oneBackup() {
        new BackupService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext())
                .create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                        ProgressListener.NONE, Cancellation.none());
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static HealthService health() {
        return new HealthService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), Optional.of(pg.cluster().connection()), Clock.systemUTC());
    }

    private static Response call(int port, String method, String path, byte[] body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(30_000);
        c.setReadTimeout(60_000);
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            } catch (java.io.IOException closedEarly) {
                // the server may answer 413 and close before the whole body is sent
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (in != null) {
            try (in) {
                in.transferTo(buf);
            }
        }
        return new Response(status, c.getContentType(), buf.toString(StandardCharsets.UTF_8));
    }

    /** Sends raw request bytes and reads the status line: the server must answer before any body arrives. */
    private static String rawStatusLine(int port, String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static List<String> archiveListing() throws Exception {
        try (Stream<Path> s = Files.walk(pg.cluster().archiveDir())) {
            return s.map(p -> p.toString() + " " + p.toFile().length()).sorted().toList();
        }
    }

    @Test
    void backupStatusIsTheHealthReportAsJson() throws Exception {
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, health()::check, Clock.systemUTC(), Duration.ofSeconds(5))) {
            Response r = call(server.port(), "GET", "/api/backup-status", null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.type()).startsWith("application/json");
            JsonNode j = Json.mapper().readTree(r.body());
            assertThat(j.get("status").asText()).isIn("ok", "warning");
            assertThat(j.get("archive").asText()).isEqualTo(pg.cluster().archiveDir().toString());
            assertThat(j.get("checks")).extracting(c -> c.get("check").asText())
                    .contains("newest backup", "verification", "newest WAL", "WAL gaps", "archiver", "free space");
            assertThat(j.at("/metrics/backupsByStatus/complete").asLong()).isEqualTo(1);
            assertThat(j.at("/metrics/serverUp").asBoolean()).isTrue();
        }
    }

    @Test
    void metricsAreValidPrometheusTextWithTheArchiveNumbers() throws Exception {
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, health()::check, Clock.systemUTC(), Duration.ofSeconds(5))) {
            Response r = call(server.port(), "GET", "/metrics", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.type()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).endsWith("\n");
            Set<String> helped = new HashSet<>();
            Set<String> typed = new HashSet<>();
            List<String> samples = new ArrayList<>();
            for (String line : r.body().split("\n")) {
                if (line.startsWith("# HELP ")) {
                    String name = line.split(" ")[2];
                    assertThat(name).matches(METRIC_NAME);
                    assertThat(helped.add(name)).as("one HELP per family: " + name).isTrue();
                } else if (line.startsWith("# TYPE ")) {
                    String[] f = line.split(" ");
                    assertThat(f).hasSize(4);
                    assertThat(f[3]).isIn("gauge", "counter");
                    assertThat(helped).as("HELP before TYPE").contains(f[2]);
                    assertThat(typed.add(f[2])).isTrue();
                } else {
                    var m = SAMPLE.matcher(line);
                    assertThat(m.matches()).as("sample line: " + line).isTrue();
                    assertThat(typed).as("TYPE before samples of " + m.group(1)).contains(m.group(1));
                    samples.add(line);
                }
            }
            assertThat(typed).allMatch(n -> n.startsWith("pitr_"));
            assertThat(typed.stream().filter(n -> n.endsWith("_total"))).allSatisfy(n ->
                    assertThat(r.body()).contains("# TYPE " + n + " counter"));
            assertThat(samples).contains("pitr_backups{status=\"complete\"} 1", "pitr_backups{status=\"failed\"} 0", "pitr_server_up 1",
                    "pitr_archiver_failing 0", "pitr_wal_missing_segments 0");
            assertThat(samples).anyMatch(s -> s.matches("pitr_backup_newest_age_seconds [0-9]+\\.[0-9]{3}"))
                    .anyMatch(s -> s.matches("pitr_archiver_archived_total [1-9][0-9]*"))
                    .anyMatch(s -> s.matches("pitr_archive_free_bytes [1-9][0-9]*"));
            assertThat(samples).anyMatch(s -> s.matches("pitr_recovery_window_end_timestamp_seconds 1[0-9]{9}\\.[0-9]{3}"));
        }
    }

    @Test
    void otherPathsMethodsAndOversizedRequestsAreRejectedAndNothingIsWritten() throws Exception {
        // the first health check may write the WAL index cache under .pitr/; after that nothing changes
        health().check();
        List<String> before = archiveListing();
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, health()::check, Clock.systemUTC(), Duration.ofSeconds(5))) {
            assertThat(call(server.port(), "GET", "/", null).status()).isEqualTo(404);
            assertThat(call(server.port(), "GET", "/api/backup-status/../../etc/passwd", null).status()).isEqualTo(404);
            assertThat(call(server.port(), "GET", "/metricsx", null).status()).isEqualTo(404);
            assertThat(call(server.port(), "DELETE", "/metrics", null).status()).isEqualTo(405);
            assertThat(call(server.port(), "POST", "/api/backup-status", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(405);
            assertThat(rawStatusLine(server.port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n"))
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large");
            assertThat(call(server.port(), "POST", "/metrics", new byte[5000]).status()).isEqualTo(413);
            assertThat(call(server.port(), "GET", "/metrics?" + "a".repeat(5000), null).status()).isEqualTo(414);
            assertThat(call(server.port(), "HEAD", "/metrics", null).status()).isEqualTo(200);
            assertThat(call(server.port(), "GET", "/metrics", null).status()).as("still serving").isEqualTo(200);
        }
        assertThat(archiveListing()).isEqualTo(before);
    }

    @Test
    void twoHundredConcurrentClientsAllGetAnswersFromOneReport() throws Exception {
        AtomicInteger reports = new AtomicInteger();
        HealthService h = health();
        java.util.function.Supplier<HealthReport> counted = () -> {
            reports.incrementAndGet();
            return h.check();
        };
        int clients = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, counted, Clock.systemUTC(), Duration.ofMinutes(10))) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String path = i % 2 == 0 ? "/metrics" : "/api/backup-status";
                Callable<Response> call = () -> {
                    go.await();
                    return call(server.port(), "GET", path, null);
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            for (Future<Response> f : answers) {
                Response r = f.get(120, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reports.get()).as("one health report for all clients, not one server connection each").isEqualTo(1);
    }

    /** Sockets that sent the start of a request and then nothing more. */
    private static List<java.net.Socket> stalled(int port, int n) throws Exception {
        List<java.net.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.net.Socket s = new java.net.Socket("127.0.0.1", port);
            // half of the head, or the whole head and the start of a body
            String half = i % 2 == 0 ? "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                    : "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789";
            s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            sockets.add(s);
        }
        return sockets;
    }

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("status-http")).count();
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void sixteenClientsSendingHalfARequestDoNotKeepANormalOneWaiting() throws Exception {
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, health()::check, Clock.systemUTC(), Duration.ofMinutes(10))) {
            assertThat(call(server.port(), "GET", "/metrics", null).status()).isEqualTo(200); // the report is cached from here on
            List<java.net.Socket> slow = stalled(server.port(), 16);
            try {
                long t0 = System.nanoTime();
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + "/api/backup-status").toURL().openConnection();
                c.setConnectTimeout(3_000);
                c.setReadTimeout(3_000);
                assertThat(c.getResponseCode()).isEqualTo(200);
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("\"checks\"");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (java.net.Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void stalledClientsAreAnswered408AfterTheTimeoutAndNoMoreThanTheLimitAreServedAtOnce() throws Exception {
        StatusServer.Limits limits = new StatusServer.Limits(4, Duration.ofSeconds(2));
        try (StatusServer server = StatusServer.start("127.0.0.1", 0, health()::check, Clock.systemUTC(), Duration.ofMinutes(10), limits)) {
            assertThat(call(server.port(), "GET", "/metrics", null).status()).isEqualTo(200);
            long before = serverThreads();
            List<java.net.Socket> slow = stalled(server.port(), 12);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                long most = 0;
                // every stalled client gets its 408 and the connection closed: 12 at 4 a time, 2 s each
                for (java.net.Socket s : slow) {
                    s.setSoTimeout(20_000);
                    most = Math.max(most, serverThreads());
                    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout");
                    assertThat(System.nanoTime()).as("answered within the bound").isLessThan(deadline);
                }
                assertThat(most - before).as("connections served at once").isLessThanOrEqualTo(4);
                Response r = call(server.port(), "GET", "/metrics", null);
                assertThat(r.status()).as("still serving").isEqualTo(200);
            } finally {
                for (java.net.Socket s : slow) {
                    s.close();
                }
            }
        }
    }
}
