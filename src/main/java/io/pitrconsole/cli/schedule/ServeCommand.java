package io.pitrconsole.cli.schedule;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.schedule.HealthService;
import io.pitrconsole.schedule.StatusServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Serve read-only status over HTTP: GET /api/backup-status (JSON health) and GET /metrics (Prometheus). Runs until stopped.")
public final class ServeCommand extends Verb {
    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String bind;

    // not --port: every verb already has -p/--port for the PostgreSQL server's port
    @Option(names = "--http-port", defaultValue = "9187", description = "TCP port to serve on, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--cache-seconds", defaultValue = "10", description = "reuse a health report this long (default: ${DEFAULT-VALUE})")
    int cacheSeconds;

    @Option(names = "--max-connections", defaultValue = "32", description = "connections served at once; more wait their turn (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--request-timeout", defaultValue = "5", description = "seconds a client has to send its whole request (default: ${DEFAULT-VALUE})")
    int requestTimeoutSeconds;

    @Option(names = "--no-server", description = "check the archive only; do not read pg_stat_archiver")
    boolean noServer;

    ServeCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        repository().requireReadable();
        try {
            if (!InetAddress.getByName(bind).isLoopbackAddress()) {
                ctx.err().println("warning: listening on " + bind + ", not loopback: anyone who can reach it sees the backup status");
            }
        } catch (UnknownHostException e) {
            throw new PitrException("cannot resolve --bind " + bind, "give an IP address such as 127.0.0.1");
        }
        StatusServer.Limits limits = new StatusServer.Limits(maxConnections, Duration.ofSeconds(requestTimeoutSeconds));
        HealthService health = services().health(!noServer);
        CountDownLatch stop = new CountDownLatch(1);
        try (StatusServer server = StatusServer.start(bind, port, health::check, Clock.systemUTC(), Duration.ofSeconds(cacheSeconds), limits)) {
            ctx.out().println("serving http://" + bind + ":" + server.port() + "/api/backup-status and /metrics; Ctrl-C stops");
            ctx.out().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
