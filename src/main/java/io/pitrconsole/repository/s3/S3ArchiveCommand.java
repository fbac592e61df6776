package io.pitrconsole.repository.s3;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.BucketLocation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The shell script the server runs as archive_command (and restore_command) for a bucket: curl
 * with AWS Signature V4, so no JVM starts per segment. It names the bucket, prefix, endpoint and
 * region, and at most the path of a credentials file; never a secret. It is installed on this
 * machine (the server's), in this repository's folder of the console's cache.
 */
final class S3ArchiveCommand implements ArchiveCommand {
    private static final String SAFE_KEY = "[A-Za-z0-9._/-]*";
    private final BucketLocation bucket;
    private final String region;
    private final Path script;
    private final Optional<String> credentialsFile;

    S3ArchiveCommand(BucketLocation bucket, String region, Path script, Optional<String> credentialsFile) {
        this.bucket = bucket;
        this.region = region;
        this.script = script;
        this.credentialsFile = credentialsFile;
    }

    @Override
    public String setting() {
        return "\"" + script + "\" push \"%p\" \"%f\"";
    }

    /** The restore_command's part that fetches %f into %p from the bucket. */
    String fetch() {
        return "\"" + script + "\" fetch \"%f\" \"%p\"";
    }

    @Override
    public Path script() {
        return script;
    }

    @Override
    public String render(String compression) {
        if (!compression.equals("none")) {
            throw new PitrException("WAL goes into an s3:// repository uncompressed in this version, not with " + compression,
                    "use --compress none for an s3:// repository");
        }
        String template;
        try (InputStream in = S3ArchiveCommand.class.getResourceAsStream("archive-wal-s3.sh")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("archive-wal-s3.sh missing from the build", e);
        }
        return template.replace("@@BASE@@", quote(folderUrl()))
                .replace("@@URI@@", quote("s3://" + bucket.bucket() + "/" + bucket.key(S3WalStore.FOLDER) + "/"))
                .replace("@@BUCKET@@", quote(bucketUrl()))
                .replace("@@REGION@@", quote(region))
                .replace("@@CREDENTIALS@@", quote(credentialsFile.orElse("")));
    }

    /** The URL of the bucket itself: path style under the endpoint, else the bucket's own host name. */
    String bucketUrl() {
        if (bucket.endpoint().isPresent()) {
            URI e = bucket.endpoint().get();
            String root = e.getScheme() + "://" + e.getRawAuthority();
            return bucket.pathStyle() ? root + "/" + bucket.bucket() : e.getScheme() + "://" + bucket.bucket() + "." + e.getRawAuthority();
        }
        return "https://" + bucket.bucket() + ".s3." + region + ".amazonaws.com";
    }

    private String folderUrl() {
        String key = bucket.key(S3WalStore.FOLDER);
        if (!key.matches(SAFE_KEY) || !bucket.bucket().matches(SAFE_KEY)) {
            throw new PitrException("the s3:// location " + bucket.uri() + " has characters the archive_command script cannot put into a URL",
                    "use a bucket and prefix of letters, digits and . _ - / only");
        }
        return bucketUrl() + "/" + key + "/";
    }

    /** Writes the script (0755) atomically, and makes its folders reachable by the server's OS user. */
    @Override
    public Optional<Path> install(String compression) {
        try {
            Files.createDirectories(script.getParent());
            AtomicFiles.write(script, render(compression).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(script.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            return Optional.empty();
        } catch (IOException e) {
            throw new PitrException("cannot install the archive command script at " + script + ": " + e.getMessage(),
                    "check that this user may write to " + script.getParent());
        }
    }

    @Override
    public boolean installed() {
        return Files.isExecutable(script);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
