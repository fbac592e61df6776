package io.pitrconsole.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named cluster the console manages: how to connect, where its data directory is, which OS user
 * runs it and which archive (a directory or an s3:// bucket, with the S3 service's endpoint, region and path
 * style) holds its backups and WAL, and for an encrypted archive the path of its key file. Never
 * holds a password or a key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                      String osUser, String archive, String pgBin, String s3Endpoint, String s3Region, Boolean s3PathStyle,
                      String encryptionKeyFile) {

    /** This profile with the key file of its encrypted archive at that path (null: none). */
    public Profile withEncryptionKeyFile(String keyFile) {
        return new Profile(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, s3Endpoint, s3Region, s3PathStyle, keyFile);
    }

    /** A profile of an archive that is not encrypted. */
    public Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                   String osUser, String archive, String pgBin, String s3Endpoint, String s3Region, Boolean s3PathStyle) {
        this(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, s3Endpoint, s3Region, s3PathStyle, null);
    }

    /** A profile whose archive is not in object storage (or that leaves the S3 service to the defaults). */
    public Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                   String osUser, String archive, String pgBin) {
        this(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, null, null, null, null);
    }
}
