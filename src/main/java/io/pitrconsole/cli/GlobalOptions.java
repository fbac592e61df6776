package io.pitrconsole.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every verb accepts: where the archive is, how to reach PostgreSQL, how chatty to be. */
public final class GlobalOptions {
    @Option(names = "--archive", paramLabel = "DIR", description = "archive directory, s3://BUCKET/PREFIX or pgbackrest://STANZA (default: the profile's archive)")
    String archive;

    @Option(names = "--pgbackrest-config", paramLabel = "FILE", description = "pgBackRest configuration file for a pgbackrest:// archive "
            + "(default: the location's ?config=, pgBackRest's own lookup)")
    String pgbackrestConfig;

    @Option(names = "--pgbackrest-repo", paramLabel = "N", description = "which pgBackRest repository (repoN) for a pgbackrest:// archive "
            + "(default: the location's &repo=, pgBackRest's default)")
    Integer pgbackrestRepo;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible service for an s3:// archive (default: profile, AWS); "
            + "credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws/credentials")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (default: profile, AWS_REGION, us-east-1)")
    String s3Region;

    @Option(names = "--s3-path-style", description = "address the bucket in the URL's path, as MinIO and Ceph want (default: profile)")
    boolean s3PathStyle;

    @Option(names = "--encryption-key-file", paramLabel = "FILE", description = "age key file of an encrypted archive; given for a new,"
            + " empty archive it encrypts it (default: profile, PITR_ENCRYPTION_KEY_FILE)")
    String encryptionKeyFile;

    @Option(names = "--encryption-old-key-file", paramLabel = "FILE", description = "an older key file that still reads files written"
            + " before a key change (repeatable)")
    java.util.List<Path> encryptionOldKeyFiles = new java.util.ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "cluster profile from profiles.json")
    public String profile;

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "server host (default: PGHOST, profile, localhost)")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "server port (default: PGPORT, profile, 5432)")
    public Integer port;

    @Option(names = {"-U", "--username"}, paramLabel = "USER", description = "database user (default: PGUSER, profile, OS user)")
    public String user;

    @Option(names = {"-d", "--dbname"}, paramLabel = "DB", description = "database to connect to (default: PGDATABASE, profile, postgres)")
    public String database;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL bin directory (default: profile, PG_BINDIR, /usr/lib/postgresql/<server version>/bin, PATH)")
    public Path pgBin;

    @Option(names = "--os-user", paramLabel = "USER", description = "OS user that runs initdb/pg_ctl/postgres when this runs as root (default: profile, postgres)")
    public String osUser;

    @Option(names = {"-v", "--verbose"}, description = "log what happens, including PostgreSQL program command lines")
    boolean verbose;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
}
