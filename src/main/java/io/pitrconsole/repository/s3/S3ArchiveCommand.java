package io.pitrconsole.repository.s3;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.BucketLocation;
import io.pitrconsole.repository.ServerEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shell script the server runs as archive_command (and restore_command) for a bucket: curl
 * with AWS Signature V4, so no JVM starts per segment. It names the bucket, prefix, endpoint and
 * region, and at most the path of a credentials file; never a secret. It is installed on this
 * machine (the server's), in this repository's folder of the console's cache; run as root, whose
 * home the server's OS user cannot enter, in {@link #SYSTEM_FOLDER} instead (see {@link #location}).
 */
final class S3ArchiveCommand implements ArchiveCommand {
    /** Where root installs the scripts when its cache is closed to other users: a fixed place, open to all, written only by root. */
    static final Path SYSTEM_FOLDER = Path.of("/var/lib/pitr-console/s3");
    private static final String SAFE_KEY = "[A-Za-z0-9._/-]*";
    private static final Set<PosixFilePermission> OPEN = PosixFilePermissions.fromString("rwxr-xr-x");
    private final BucketLocation bucket;
    private final String region;
    private final Path script;
    private static final Pattern RECIPIENT = Pattern.compile("age1[0-9a-z]+");
    private static final Pattern INSTALLED_COMPRESSION = Pattern.compile("(?m)^COMPRESS=(none|gzip|zstd)$");
    private final Optional<String> credentialsFile;
    private final Optional<ServerEncryption> encryption;

    S3ArchiveCommand(BucketLocation bucket, String region, Path script, Optional<String> credentialsFile) {
        this(bucket, region, script, credentialsFile, Optional.empty());
    }

    private S3ArchiveCommand(BucketLocation bucket, String region, Path script, Optional<String> credentialsFile,
                             Optional<ServerEncryption> encryption) {
        this.bucket = bucket;
        this.region = region;
        this.script = script;
        this.credentialsFile = credentialsFile;
        this.encryption = encryption;
    }

    /**
     * The same script, encrypting each file with age to the recipients before it leaves the server's
     * host, and its fetch decrypting with the key files (their paths: the server's OS user reads them).
     */
    @Override
    public S3ArchiveCommand encrypting(ServerEncryption encryption) {
        if (encryption.recipients().isEmpty() || encryption.recipients().stream().anyMatch(r -> !RECIPIENT.matcher(r).matches())) {
            throw new IllegalArgumentException("not age recipients: " + encryption.recipients());
        }
        return new S3ArchiveCommand(bucket, region, script, credentialsFile, Optional.of(encryption));
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
        if (!compression.matches("none|gzip|zstd")) {
            throw new IllegalArgumentException("not a WAL compression: " + compression);
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
                .replace("@@CREDENTIALS@@", quote(credentialsFile.orElse("")))
                .replace("@@COMPRESS@@", compression)
                .replace("@@AGE@@", quote(encryption.map(e -> e.age().toString()).orElse("")))
                .replace("@@RECIPIENTS@@", encryption.map(e -> words("--recipient", e.recipients())).orElse(""))
                .replace("@@IDENTITIES@@", encryption.map(e -> words("--identity", paths(e))).orElse(""))
                .replace("@@KEYFILES@@", encryption.map(e -> words("", paths(e))).orElse(""))
                .replace("@@KEYFILES_TEXT@@", encryption.map(e -> String.join(", ", paths(e)).replaceAll("[^A-Za-z0-9._/+@ ,-]", "?"))
                        .orElse(""));
    }

    private static List<String> paths(ServerEncryption e) {
        return e.keyFiles().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    }

    // each value quoted for the shell, after the option when there is one: "--recipient 'age1...' --recipient '...'"
    private static String words(String option, List<String> values) {
        return values.stream().map(v -> (option.isEmpty() ? "" : option + " ") + quote(v)).collect(Collectors.joining(" "));
    }

    /**
     * Installs the script unless the one installed is this script exactly (for one of the
     * compressions): an older or a plain script there is written again, keeping its compression.
     */
    void installUnlessCurrent() {
        if (installed()) {
            String text;
            try {
                text = Files.readString(script);
            } catch (IOException e) {
                text = "";
            }
            for (String c : List.of("none", "gzip", "zstd")) {
                if (text.equals(render(c))) {
                    return;
                }
            }
            Matcher m = INSTALLED_COMPRESSION.matcher(text);
            install(m.find() ? m.group(1) : "none");
            return;
        }
        install("none");
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

    /**
     * Where the script of the repository whose cache folder this is goes: in that folder, unless
     * this program runs as root and a folder above it is closed to other users (root's home, as
     * a rule), which would leave the server's OS user unable to run it; then in a folder of its
     * own under {@link #SYSTEM_FOLDER}, a place a DBA finds and only root can change.
     */
    static Path location(Path repositoryCache, boolean root) {
        Path inCache = repositoryCache.resolve("bin").resolve("archive-wal");
        if (!root || openToOthers(repositoryCache)) {
            return inCache;
        }
        return SYSTEM_FOLDER.resolve(repositoryCache.getFileName()).resolve("bin").resolve("archive-wal");
    }

    // every folder that exists on the way down can be entered by any user (folders still to be made are made so)
    private static boolean openToOthers(Path folder) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                try {
                    if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        return false;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Writes the script (0755) atomically; the folders it makes for it are 0755 too, whatever the
     * umask, so that the server's OS user reaches it. Under {@link #SYSTEM_FOLDER} the folders
     * from /var/lib/pitr-console down are opened to all as well.
     */
    @Override
    public Optional<Path> install(String compression) {
        try {
            Path folder = script.getParent();
            Path existing = folder;
            while (existing != null && !Files.isDirectory(existing)) {
                existing = existing.getParent();
            }
            Files.createDirectories(folder);
            boolean system = script.startsWith(SYSTEM_FOLDER);
            // the folders made now (under the system folder: all of ours), down to the script's own
            Path stop = system ? SYSTEM_FOLDER.getParent() : existing;
            Files.setPosixFilePermissions(folder, OPEN);
            for (Path p = folder.getParent(); p != null && p.startsWith(stop) && !p.equals(stop); p = p.getParent()) {
                Files.setPosixFilePermissions(p, OPEN);
            }
            if (system) {
                open(SYSTEM_FOLDER.getParent());
            }
            AtomicFiles.write(script, render(compression).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(script, OPEN);
            return Optional.empty();
        } catch (IOException e) {
            throw new PitrException("cannot install the archive command script at " + script + ": " + e.getMessage(),
                    "check that this user may write to " + script.getParent());
        }
    }

    // adds r-x for others to a folder of ours, keeping whatever else it allows
    private static void open(Path folder) throws IOException {
        var permissions = new HashSet<>(Files.getPosixFilePermissions(folder));
        permissions.addAll(PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(folder, permissions);
    }

    @Override
    public boolean installed() {
        return Files.isExecutable(script);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
