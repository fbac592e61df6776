package io.pitrconsole.repository.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for a test class: s3proxy (Maven Central's jar-with-dependencies, copied
 * to target/s3proxy by the build) with its filesystem backend in a temporary directory, on a
 * free port of 127.0.0.1, in a process of its own; stopped after the class.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Pattern REQUEST = Pattern.compile("\\[s3proxy] D (\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*?request: Request\\((\\S+ \\S+)\\)");
    public static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
    private final String key = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();
    private final boolean logRequests;
    private Path dir;
    private Process process;
    private int port;

    public S3ProxyExtension() {
        this(false);
    }

    private S3ProxyExtension(boolean logRequests) {
        this.logRequests = logRequests;
    }

    /** A server that writes a line for each request it takes into its log (s3proxy's own debug logging): see {@link #requests()}. */
    public static S3ProxyExtension loggingRequests() {
        return new S3ProxyExtension(true);
    }

    /** One request as s3proxy logged it: when (to the millisecond) and what ("GET http://host:port/bucket/key"). */
    public record Request(Instant at, String what) {
    }

    /** The requests the server took so far, as s3proxy logs them; empty unless logging them. */
    public List<Request> requests() throws IOException {
        Matcher m = REQUEST.matcher(Files.readString(dir.resolve("s3proxy.log")));
        List<Request> r = new ArrayList<>();
        int year = Year.now().getValue();
        while (m.find()) {
            // s3proxy's log gives month to millisecond in this machine's time zone, as this JVM reads it
            LocalDateTime t = LocalDateTime.parse(year + "-" + m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
            r.add(new Request(t.atZone(ZoneId.systemDefault()).toInstant(), m.group(2)));
        }
        return r;
    }

    /** The requests of one method for keys in the WAL folder (wal_archive/) so far, as "METHOD url". */
    public List<String> walRequests(String method) {
        try {
            return requests().stream().map(Request::what).filter(w -> w.startsWith(method + " ") && w.contains("/wal_archive/")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the build copies it (mvn generate-test-resources)");
        }
        dir = Files.createTempDirectory("s3proxy-");
        Files.createDirectories(dir.resolve("data"));
        port = freePort();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + key,
                "s3proxy.credential=" + secret,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        start();
    }

    /** The file the filesystem store keeps an object in (to set what its listing shows, as a test needs). */
    public Path storedFile(String bucket, String key) {
        return dir.resolve("data").resolve(bucket).resolve(key);
    }

    /**
     * Stops the server and starts it again on the same port with the same buckets, refusing every
     * change (s3proxy's read-only blob store) or, with false, taking them again: credentials that
     * may read but not write.
     */
    public void restartReadOnly(boolean readOnly) throws Exception {
        stop();
        Path properties = dir.resolve("s3proxy.properties");
        String kept = Files.readString(properties).replace("s3proxy.read-only-blobstore=true\n", "");
        Files.writeString(properties, readOnly ? kept + "s3proxy.read-only-blobstore=true\n" : kept);
        start();
    }

    /** Starts the server (again, after {@link #stop()}) on the same port with the same buckets. */
    public void start() throws Exception {
        Path properties = dir.resolve("s3proxy.properties");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString());
        if (logRequests) {
            b.environment().put("LOG_LEVEL", "debug");
        }
        process = b.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile())).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!listening()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                stop();
                throw new IllegalStateException("s3proxy did not start; its log:\n" + Files.readString(dir.resolve("s3proxy.log")));
            }
            Thread.sleep(100);
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        io.pitrconsole.core.FileTrees.deleteRecursively(dir);
    }

    /** Stops the server now (a test of an endpoint that went away); idempotent. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The environment a command needs to reach the server: its credentials, as the AWS tools read them. */
    public Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", key, "AWS_SECRET_ACCESS_KEY", secret);
    }

    /** A client of the server, for setting up and inspecting buckets. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                // s3proxy refuses the SDK's default trailing checksums (x-amz-content-sha256 does not match)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret))).build();
    }

    /** Creates a bucket with a fresh name and returns it. */
    public String newBucket() {
        String bucket = "b-" + UUID.randomUUID().toString().substring(0, 12);
        try (S3Client c = client()) {
            c.createBucket(r -> r.bucket(bucket));
        }
        return bucket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
