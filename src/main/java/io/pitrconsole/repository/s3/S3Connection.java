package io.pitrconsole.repository.s3;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BucketLocation;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 client of one bucket, and what its failures mean to a DBA. Credentials are found as the
 * AWS tools find them, from the environment this program was given: AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the AWS_PROFILE (or default) profile of
 * ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE). They are never logged or put in a message.
 */
final class S3Connection implements AutoCloseable {
    private static final String CREDENTIALS_HINT = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), "
            + "or AWS_PROFILE naming a profile in ~/.aws/credentials";

    private static final Logger LOG = LoggerFactory.getLogger(S3Connection.class);

    private final BucketLocation bucket;
    private final S3Client client;

    S3Connection(BucketLocation bucket, Map<String, String> env) {
        this.bucket = bucket;
        // Loading the native library takes about 0.2 s: the first requests (the catalog, a listing) may go with the
        // JDK's crypto, the transfers that follow find it installed
        Thread crypto = new Thread(() -> {
            long t0 = System.nanoTime();
            String which = NativeTlsCrypto.install(env);
            LOG.debug("TLS crypto: {}, settled in {} ms", which, (System.nanoTime() - t0) / 1_000_000);
        }, "native-crypto");
        crypto.setDaemon(true);
        crypto.start();
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)).build())
                .credentialsProvider(credentials(env))
                .region(Region.of(regionOf(bucket, env)))
                .forcePathStyle(bucket.pathStyle())
                // S3-compatible services (MinIO, Ceph, s3proxy) do not all know the newer trailing checksums;
                // every PUT carries Content-MD5 instead, which they all check
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // a listing or an error answer would otherwise cost the next request a new connection
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ReusedConnections()));
        bucket.endpoint().ifPresent(builder::endpointOverride);
        this.client = builder.build();
    }

    S3Client client() {
        return client;
    }

    BucketLocation bucket() {
        return bucket;
    }

    /** Runs a request; a failure becomes a PitrException that says what is wrong and what to do. */
    <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw explain(what, e);
        }
    }

    /** What a failed request means, in one line with a hint; NoSuchKey is left to the caller. */
    PitrException explain(String what, SdkException e) {
        String where = bucket.describe();
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null || s3.awsErrorDetails().errorCode() == null ? "" : s3.awsErrorDetails().errorCode();
            if (code.isEmpty()) {
                // an answer without a body (to a HEAD, or from a gateway) has only its status
                code = switch (s3.statusCode()) {
                    case 405 -> "MethodNotAllowed";
                    case 501 -> "NotImplemented";
                    default -> "";
                };
            }
            switch (code) {
                case "NoSuchBucket":
                    return new PitrException("cannot " + what + ": there is no bucket '" + bucket.bucket() + "' at "
                            + bucket.endpoint().map(Object::toString).orElse("AWS S3"),
                            "create the bucket first, or correct the s3:// location (and --s3-endpoint)");
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidSecurity":
                    return new PitrException("cannot " + what + ": " + where + " refused the credentials (" + code + ")", CREDENTIALS_HINT);
                case "AccessDenied", "AllAccessDisabled":
                    return new PitrException("cannot " + what + ": access denied to " + where,
                            "grant these credentials s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the bucket and prefix");
                case "NotImplemented", "MethodNotAllowed":
                    // what a read-only service or gateway (s3proxy's read-only store, a replica) answers a change
                    if (changes(what)) {
                        return new PitrException("cannot " + what + ": " + where + " takes no writes (" + code + ", HTTP " + s3.statusCode() + ")",
                                "the service or bucket is read-only here: use a bucket these credentials may write, "
                                        + "or have the service's read-only setting (or replica role) lifted");
                    }
                    return new PitrException("cannot " + what + " in " + where + ": " + code + " (HTTP " + s3.statusCode() + ")",
                            "see the S3 service's own log for this request");
                default:
                    if (s3.statusCode() == 403) {
                        return new PitrException("cannot " + what + ": " + where + " refused the request (403 " + code + ")", CREDENTIALS_HINT);
                    }
                    return new PitrException("cannot " + what + " in " + where + ": " + (code.isEmpty() ? "" : code + " ")
                            + "(HTTP " + s3.statusCode() + ")", "see the S3 service's own log for this request");
            }
        }
        if (e instanceof SdkClientException && (e.getMessage() != null && (e.getMessage().contains("Unable to load credentials")
                || e.getMessage().contains("no credentials") || e.getMessage().contains("Access key ID cannot be blank")))) {
            return new PitrException("cannot " + what + ": no AWS credentials found for " + where, CREDENTIALS_HINT);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException || root instanceof java.net.SocketTimeoutException
                || root instanceof HttpTimeoutException || root instanceof java.net.NoRouteToHostException) {
            return new PitrException("cannot " + what + ": cannot reach the S3 service "
                    + bucket.endpoint().map(Object::toString).orElse("of AWS") + " (" + (root instanceof UnknownHostException
                            ? "unknown host " + root.getMessage() : root.getMessage() == null ? "timed out" : root.getMessage().toLowerCase(java.util.Locale.ROOT)) + ")",
                    "check --s3-endpoint (or the profile's S3 endpoint) and that the service runs and can be reached from here");
        }
        return new PitrException("cannot " + what + " in " + where + ": " + firstLine(e.getMessage()),
                "check the S3 endpoint, region and credentials");
    }

    /** Whether a request, by the words that name it, changes the bucket. */
    private static boolean changes(String what) {
        return what.startsWith("write ") || what.startsWith("delete ") || what.startsWith("start the upload")
                || what.startsWith("finish the upload") || what.startsWith("abort ");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The bucket's region, else the environment's, else us-east-1. */
    static String regionOf(BucketLocation bucket, Map<String, String> env) {
        return bucket.region().orElseGet(() -> regionOf(env));
    }

    private static String regionOf(Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        // S3-compatible services sign with any region; us-east-1 is what they expect when none is set
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token != null && !token.isBlank()
                    ? AwsSessionCredentials.create(key, secret, token) : AwsBasicCredentials.create(key, secret));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String file = env.get("AWS_SHARED_CREDENTIALS_FILE");
        Path credentials = file != null && !file.isBlank() ? Path.of(file) : Path.of(home, ".aws", "credentials");
        String profile = env.getOrDefault("AWS_PROFILE", "default");
        if (!java.nio.file.Files.isReadable(credentials)) {
            return () -> {
                throw SdkClientException.create("Unable to load credentials: none in the environment, and no " + credentials);
            };
        }
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName(profile).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
