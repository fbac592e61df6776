package io.pitrconsole.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only HTTP status: GET /api/backup-status (the health report as JSON) and GET /metrics
 * (Prometheus text). Everything else is 404 or 405. The report is computed at most once per
 * cache period however many clients ask, so a busy scraper cannot flood the server with
 * connections or the archive with directory scans. Each connection carries one request and must
 * send it within the request timeout, and at most {@link Limits#maxConnections()} are served at
 * once (the rest wait in the listen queue), so clients that send half a request and stall hold a
 * slot for the timeout at most and never stop the others from being answered.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    /** Longest request target accepted; a status endpoint has no use for more. */
    static final int MAX_URI = 2048;
    /** Largest request body accepted (GET has none). */
    static final int MAX_BODY = 1024;
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    /** Bytes read after the answer so that the client's unread request does not reset the connection. */
    private static final int MAX_DRAIN = 64 * 1024;

    /** How many connections are served at once, and how long one may take to send its request. */
    public record Limits(int maxConnections, Duration requestTimeout) {
        public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(5));

        public Limits {
            if (maxConnections < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new PitrException("connection limit " + maxConnections + " or request timeout " + requestTimeout + " is not positive",
                        "give at least one connection and a timeout of a second or more");
            }
        }
    }

    private final ServerSocket listener;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final Limits limits;
    private final Supplier<HealthReport> source;
    private final Clock clock;
    private final Duration cacheFor;
    private final Thread acceptor;
    private volatile boolean closed;
    private HealthReport cached;
    private Instant cachedAt = Instant.MIN;

    private StatusServer(ServerSocket listener, Limits limits, Supplier<HealthReport> source, Clock clock, Duration cacheFor) {
        this.listener = listener;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConnections());
        this.source = source;
        this.clock = clock;
        this.cacheFor = cacheFor;
        // A fixed pool, not a cached one: a worker that has released its slot may not yet be idle
        // when the next connection comes, and a cached pool would then start one thread more than the limit.
        this.workers = Executors.newFixedThreadPool(limits.maxConnections(), r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "status-http-accept");
        acceptor.setDaemon(true);
    }

    /** Binds and starts serving with the default limits; port 0 picks a free port (see {@link #port()}). */
    public static StatusServer start(String bind, int port, Supplier<HealthReport> source, Clock clock, Duration cacheFor) {
        return start(bind, port, source, clock, cacheFor, Limits.DEFAULT);
    }

    /** Binds and starts serving at most limits.maxConnections() connections at once. */
    public static StatusServer start(String bind, int port, Supplier<HealthReport> source, Clock clock, Duration cacheFor, Limits limits) {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 512);
        } catch (IOException e) {
            throw new PitrException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(),
                    "pick another --http-port, or stop what uses this one (ss -ltnp)");
        }
        StatusServer s = new StatusServer(listener, limits, source, clock, cacheFor);
        s.acceptor.start();
        LOG.info("status server listening on {}:{} ({} connections at once, {} s per request)", bind, s.port(),
                limits.maxConnections(), limits.requestTimeout().toSeconds());
        return s;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                slots.release();
                if (!closed) {
                    LOG.warn("status server: accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                workers.execute(() -> {
                    try (s) {
                        serve(s);
                    } catch (IOException e) {
                        LOG.debug("status connection ended: {}", e.toString());
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                closeQuietly(s);
            }
        }
    }

    private synchronized HealthReport report() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cachedAt.plus(cacheFor))) {
            cached = source.get();
            cachedAt = now;
        }
        return cached;
    }

    /** A request's line and the headers this server looks at. */
    private record Request(String method, String target, String contentLength, boolean chunked) {
    }

    /** A request that cannot be served, with the status that says why. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void serve(Socket s) throws IOException {
        long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        HeadReader in = new HeadReader(s, deadline);
        OutputStream out = s.getOutputStream();
        Request req;
        try {
            req = readRequest(in);
            String length = req.contentLength();
            if (req.chunked() || length != null && (!length.matches("\\d{1,4}") || Integer.parseInt(length) > MAX_BODY)) {
                throw new Refused(413, "request body too large\n");
            }
            in.skip(length == null ? 0 : Integer.parseInt(length));
        } catch (Refused r) {
            send(out, r.status, "text/plain; charset=utf-8", r.getMessage(), false, null);
            lingeringClose(s, in, true);
            return;
        } catch (SocketTimeoutException e) {
            send(out, 408, "text/plain; charset=utf-8", "request not received within " + limits.requestTimeout().toSeconds() + " s\n", false, null);
            return;
        }
        respond(out, req);
        lingeringClose(s, in, false);
    }

    private Request readRequest(HeadReader in) throws IOException, Refused {
        String line = in.line(MAX_URI + 64, 414, "request target too long\n");
        while (line.isEmpty()) {
            line = in.line(MAX_URI + 64, 414, "request target too long\n"); // a stray CRLF before the request is allowed
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            throw new Refused(400, "malformed request line\n");
        }
        if (parts[1].length() > MAX_URI) {
            throw new Refused(414, "request target too long\n");
        }
        String length = null;
        boolean chunked = false;
        for (int i = 0; ; i++) {
            String h = in.line(MAX_HEADER_LINE, 431, "request header too large\n");
            if (h.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new Refused(431, "too many request headers\n");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new Refused(400, "malformed header line\n");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = value;
            } else if (name.equals("transfer-encoding")) {
                chunked = true;
            }
        }
        return new Request(parts[0], parts[1], length, chunked);
    }

    private void respond(OutputStream out, Request req) throws IOException {
        String target = req.target();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        boolean head = req.method().equals("HEAD");
        try {
            boolean known = path.equals("/api/backup-status") || path.equals("/metrics");
            if (!known) {
                send(out, 404, "text/plain; charset=utf-8", "not found; try /api/backup-status or /metrics\n", head, null);
                return;
            }
            if (!req.method().equals("GET") && !head) {
                send(out, 405, "text/plain; charset=utf-8", "read-only: GET only\n", false, "GET, HEAD");
                return;
            }
            HealthReport r = report();
            if (path.equals("/metrics")) {
                send(out, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(r), head, null);
            } else {
                // 503 lets a plain HTTP check (load balancer, uptime probe) see "critical" without parsing JSON
                send(out, r.status() == HealthLevel.CRITICAL ? 503 : 200, "application/json", json(r), head, null);
            }
        } catch (RuntimeException e) {
            LOG.warn("status request failed: {}", e.toString());
            send(out, 500, "text/plain; charset=utf-8", "internal error: " + e.getMessage() + "\n", head, null);
        }
    }

    private static String json(HealthReport r) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(OutputStream out, int status, String type, String body, boolean head, String allow) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: ").append(type).append("\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Connection: close\r\n");
        if (allow != null) {
            h.append("Allow: ").append(allow).append("\r\n");
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(bytes);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /** Ends the answer, then reads what the client still sends (bounded) so that closing does not reset it. */
    private static void lingeringClose(Socket s, HeadReader in, boolean refused) {
        try {
            s.shutdownOutput();
            in.drain(MAX_DRAIN, refused);
        } catch (IOException ignored) {
            // the client has gone; the answer was already sent
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do for a connection that is being refused
        }
    }

    /** Reads the request head against one deadline for the whole request, not one per read. */
    private static final class HeadReader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buf = new byte[4096];
        private int pos;
        private int end;

        HeadReader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private int next() throws IOException {
            return next(deadline);
        }

        private int next(long until) throws IOException {
            if (pos == end) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("request timeout");
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int n = in.read(buf);
                if (n < 0) {
                    return -1;
                }
                pos = 0;
                end = n;
            }
            return buf[pos++] & 0xff;
        }

        /** One line without its CR LF; longer than max is refused with the given status. */
        String line(int max, int status, String message) throws IOException, Refused {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = next();
                if (b < 0) {
                    throw new Refused(400, "request ended early\n");
                }
                if (b == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                if (sb.length() >= max) {
                    throw new Refused(status, message);
                }
                sb.append((char) b);
            }
        }

        void skip(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                if (next() < 0) {
                    return;
                }
            }
        }

        /** Reads up to max bytes: waiting up to a second for a refused request's rest, else only what has arrived. */
        void drain(int max, boolean wait) throws IOException {
            long until = Math.min(deadline, System.nanoTime() + 1_000_000_000L);
            for (int i = 0; i < max; i++) {
                if (pos == end && !wait && in.available() == 0) {
                    return;
                }
                try {
                    if (next(until) < 0) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    return;
                }
            }
        }
    }

    /** Stops listening and drops the connections in flight. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        acceptor.interrupt();
        workers.shutdownNow();
    }
}
