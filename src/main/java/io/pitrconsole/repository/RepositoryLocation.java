package io.pitrconsole.repository;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A repository as named on the command line (--archive) or in a profile: parsed here and nowhere
 * else. A plain path is a local directory; s3://bucket/prefix a bucket; pgbackrest://stanza a
 * pgBackRest stanza; another URI scheme names a kind of repository this version does not have.
 *
 * @param directory the local directory; null for a bucket or a stanza
 * @param bucket    the bucket; null for a local directory or a stanza
 * @param stanza    the pgBackRest stanza; null for a local directory or a bucket
 */
public record RepositoryLocation(String text, Path directory, BucketLocation bucket, PgBackRestStanza stanza) {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
    // S3's rules for bucket names (3 to 63 lower-case letters, digits, dots and hyphens)
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    // pgBackRest's own rule for stanza names: letters, digits, '-', '_' and '.'
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public RepositoryLocation {
        if ((directory != null ? 1 : 0) + (bucket != null ? 1 : 0) + (stanza != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("a location is a directory, a bucket or a pgBackRest stanza");
        }
        directory = directory == null ? null : directory.toAbsolutePath().normalize();
    }

    public RepositoryLocation(String text, Path directory, BucketLocation bucket) {
        this(text, directory, bucket, null);
    }

    public RepositoryLocation(String text, Path directory) {
        this(text, directory, null, null);
    }

    /** Parses what the user wrote, a directory or s3:// with no service options; an unknown kind is a clear error. */
    public static RepositoryLocation parse(String text) {
        return parse(text, S3Options.NONE);
    }

    /** Parses what the user wrote; s3:// takes the service options given. An unknown or not yet supported kind is a clear error. */
    public static RepositoryLocation parse(String text, S3Options s3) {
        return parse(text, s3, PgBackRestOptions.NONE);
    }

    /** Parses what the user wrote; s3:// takes the S3 options, pgbackrest:// the pgBackRest options (over its own ?config=&amp;repo=). */
    public static RepositoryLocation parse(String text, S3Options s3, PgBackRestOptions pgbackrest) {
        if (text == null || text.isBlank()) {
            throw new PitrException("no archive given",
                    Hint.of("pass the archive directory with --archive DIR, or set it in the profile",
                            "choose the archive directory for the profile under Settings"));
        }
        var scheme = SCHEME.matcher(text.strip());
        if (scheme.matches()) {
            String kind = scheme.group(1).toLowerCase(Locale.ROOT);
            if (kind.equals("s3")) {
                return new RepositoryLocation(text, null, bucket(text, scheme.group(2), s3));
            }
            if (kind.equals("pgbackrest")) {
                return new RepositoryLocation(text, null, null, stanza(text, scheme.group(2), pgbackrest));
            }
            throw new PitrException("'" + text + "' names a " + kind + ":// repository, which this version cannot read",
                    Hint.of("pass a local archive directory with --archive DIR, a bucket with --archive s3://BUCKET/PREFIX"
                                    + " or a pgBackRest stanza with --archive pgbackrest://STANZA",
                            "choose a local archive directory, an s3:// bucket or a pgbackrest:// stanza for the profile under Settings"));
        }
        try {
            return new RepositoryLocation(text, Path.of(text.strip()));
        } catch (InvalidPathException bad) {
            throw new PitrException("'" + text + "' is not a directory path: " + bad.getReason(),
                    Hint.of("pass the archive directory with --archive DIR", "choose the archive directory for the profile under Settings"));
        }
    }

    /** A local directory, as the practice cluster and tests name their archive. */
    public static RepositoryLocation of(Path directory) {
        return new RepositoryLocation(directory.toString(), directory);
    }

    /** Whether this names a bucket rather than a local directory. */
    public boolean isBucket() {
        return bucket != null;
    }

    /** Whether this names a pgBackRest stanza. */
    public boolean isPgBackRest() {
        return stanza != null;
    }

    private static PgBackRestStanza stanza(String text, String rest, PgBackRestOptions flags) {
        int q = rest.indexOf('?');
        String name = (q < 0 ? rest : rest.substring(0, q)).replaceAll("/+$", "");
        if (!STANZA.matcher(name).matches()) {
            throw new PitrException("'" + text + "' does not name a pgBackRest stanza: '" + name + "' is not a stanza name",
                    "write the location as pgbackrest://STANZA, the stanza as in 'pgbackrest info' (letters, digits, '.', '_' and '-')");
        }
        String config = null;
        Integer repo = null;
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (key) {
                    case "config" -> config = value;
                    case "repo" -> repo = repoNumber(text, value);
                    // the location is not repeated: what follows the unknown name may be a passphrase
                    default -> throw new PitrException("a pgbackrest:// location has an unknown setting '" + key + "'",
                            "a pgbackrest:// location takes only ?config=FILE and &repo=N; a passphrase belongs in pgBackRest's"
                                    + " configuration or its PGBACKREST_REPO1_CIPHER_PASS environment variable, never in the location");
                }
            }
        }
        PgBackRestOptions options = flags.over(new PgBackRestOptions(config, repo));
        if (options.repo() != null && (options.repo() < 1 || options.repo() > 256)) {
            throw new PitrException("pgBackRest repository " + options.repo() + " does not exist: repositories are numbered 1 to 256",
                    "pass --pgbackrest-repo N with N as in the configuration's repoN-path");
        }
        Path configFile = null;
        if (options.config() != null) {
            try {
                configFile = Path.of(options.config()).toAbsolutePath().normalize();
            } catch (InvalidPathException bad) {
                throw new PitrException("'" + options.config() + "' is not a file path: " + bad.getReason(),
                        "pass pgBackRest's configuration file with --pgbackrest-config FILE");
            }
        }
        return new PgBackRestStanza(name, Optional.ofNullable(configFile),
                options.repo() == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(options.repo()));
    }

    private static Integer repoNumber(String text, String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new PitrException("'" + text + "': repo=" + value + " is not a repository number", "write repo=N, N as in the configuration's repoN-path");
        }
    }

    private static BucketLocation bucket(String text, String rest, S3Options s3) {
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+", "/").replaceAll("^/|/$", "");
        if (!BUCKET.matcher(name).matches() || name.contains("..")) {
            throw new PitrException("'" + text + "' does not name a bucket: '" + name + "' is not a valid bucket name",
                    "write the location as s3://BUCKET/PREFIX; a bucket name has 3 to 63 lower-case letters, digits, dots and hyphens");
        }
        if (prefix.contains("\\") || prefix.chars().anyMatch(Character::isISOControl)
                || java.util.Arrays.stream(prefix.split("/")).anyMatch(p -> p.equals(".") || p.equals(".."))) {
            throw new PitrException("'" + text + "' has a prefix S3 tools cannot agree on: '" + prefix + "'",
                    "use a prefix of plain names separated by '/', such as s3://" + name + "/pitr/main");
        }
        return new BucketLocation(name, prefix, endpoint(s3.endpoint()), Optional.ofNullable(s3.region()), s3.pathStyle());
    }

    private static Optional<URI> endpoint(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                // not repeated: what is before the @ may be a key
                throw new PitrException("--s3-endpoint has a user name or key in it, which an endpoint must not have",
                        "give only the service's URL, such as https://minio.example.com:9000; credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
            }
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException bad) {
            // said below
        }
        throw new PitrException("--s3-endpoint '" + text + "' is not an http:// or https:// URL of a host",
                "give the service's URL, such as --s3-endpoint https://minio.example.com:9000 (credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never in the URL)");
    }

    @Override
    public String toString() {
        return isBucket() ? bucket.uri() : isPgBackRest() ? stanza.uri() : directory.toString();
    }
}
