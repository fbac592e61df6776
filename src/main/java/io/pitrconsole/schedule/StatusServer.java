package io.pitrconsole.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only HTTP status: GET /api/backup-status (the health report as JSON) and GET /metrics
 * (Prometheus text). Everything else is 404 or 405. The report is computed at most once per
 * cache period however many clients ask, so a busy scraper cannot flood the server with
 * connections or the archive with directory scans.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    /** Longest request target accepted; a status endpoint has no use for more. */
    static final int MAX_URI = 2048;
    /** Largest request body accepted (GET has none). */
    static final int MAX_BODY = 1024;

    private final HttpServer http;
    private final ExecutorService workers;
    private final Supplier<HealthReport> source;
    private final Clock clock;
    private final Duration cacheFor;
    private HealthReport cached;
    private Instant cachedAt = Instant.MIN;

    private StatusServer(HttpServer http, ExecutorService workers, Supplier<HealthReport> source, Clock clock, Duration cacheFor) {
        this.http = http;
        this.workers = workers;
        this.source = source;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /** Binds and starts serving; port 0 picks a free port (see {@link #port()}). */
    public static StatusServer start(String bind, int port, Supplier<HealthReport> source, Clock clock, Duration cacheFor) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 512);
        } catch (IOException e) {
            throw new PitrException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(),
                    "pick another --port, or stop what uses this one (ss -ltnp)");
        }
        ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        });
        StatusServer s = new StatusServer(http, workers, source, clock, cacheFor);
        http.createContext("/", s::handle);
        http.setExecutor(workers);
        http.start();
        LOG.info("status server listening on {}:{}", bind, s.port());
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private synchronized HealthReport report() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cachedAt.plus(cacheFor))) {
            cached = source.get();
            cachedAt = now;
        }
        return cached;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestURI().toString().length() > MAX_URI) {
                send(ex, 414, "text/plain; charset=utf-8", "request target too long\n");
                return;
            }
            String length = ex.getRequestHeaders().getFirst("Content-Length");
            if (length != null && !length.matches("\\d{1,4}") || !readBodyWithin(ex.getRequestBody())) {
                send(ex, 413, "text/plain; charset=utf-8", "request body too large\n");
                return;
            }
            boolean known = path.equals("/api/backup-status") || path.equals("/metrics");
            if (!known) {
                send(ex, 404, "text/plain; charset=utf-8", "not found; try /api/backup-status or /metrics\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "read-only: GET only\n");
                return;
            }
            HealthReport r = report();
            if (path.equals("/metrics")) {
                send(ex, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(r));
            } else {
                // 503 lets a plain HTTP check (load balancer, uptime probe) see "critical" without parsing JSON
                send(ex, r.status() == HealthLevel.CRITICAL ? 503 : 200, "application/json", json(r));
            }
        } catch (RuntimeException e) {
            LOG.warn("status request failed: {}", e.toString());
            send(ex, 500, "text/plain; charset=utf-8", "internal error: " + e.getMessage() + "\n");
        }
    }

    private static boolean readBodyWithin(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_BODY + 1];
        int total = 0;
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            total += n;
            if (total > MAX_BODY) {
                return false;
            }
        }
        return true;
    }

    private static String json(HealthReport r) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening; requests in flight get a second to finish. */
    @Override
    public void close() {
        http.stop(1);
        workers.shutdownNow();
    }
}
