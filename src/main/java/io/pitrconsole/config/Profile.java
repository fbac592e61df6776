package io.pitrconsole.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A named cluster the console manages: how to connect, where its data directory is, which OS user
 * runs it and which archive (a directory or an s3:// bucket, with the S3 service's endpoint, region and path
 * style) holds its backups and WAL, and for an encrypted archive the path of its key file and of
 * any older key files that still read files written before a key change. Never holds a password or a key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                      String osUser, String archive, String pgBin, String s3Endpoint, String s3Region, Boolean s3PathStyle,
                      String encryptionKeyFile,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> encryptionOldKeyFiles) {

    public Profile {
        // a profiles.json written before older keys existed has no such field
        encryptionOldKeyFiles = encryptionOldKeyFiles == null ? List.of() : List.copyOf(encryptionOldKeyFiles);
    }

    /** This profile with the key file of its encrypted archive at that path (null: none). */
    public Profile withEncryptionKeyFile(String keyFile) {
        return new Profile(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, s3Endpoint, s3Region, s3PathStyle, keyFile,
                encryptionOldKeyFiles);
    }

    /** This profile with those older key files (paths), which read files written before a key change. */
    public Profile withEncryptionOldKeyFiles(List<String> oldKeyFiles) {
        return new Profile(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, s3Endpoint, s3Region, s3PathStyle,
                encryptionKeyFile, oldKeyFiles);
    }

    /** A profile with no older key files. */
    public Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                   String osUser, String archive, String pgBin, String s3Endpoint, String s3Region, Boolean s3PathStyle,
                   String encryptionKeyFile) {
        this(name, host, port, user, database, dataDirectory, osUser, archive, pgBin, s3Endpoint, s3Region, s3PathStyle, encryptionKeyFile,
                List.of());
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
