package io.pitrconsole.repository.s3;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A repository in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...), in a directory
 * repository's layout under the location's prefix: backup_* folders, wal_archive/,
 * backup_metadata.json, backup_schedule.json and .pitr/ for locks and the abandoned timelines.
 * Caches and saved reports stay on this machine, under the user's cache directory.
 */
public final class S3Repository implements Repository, AutoCloseable {
    private final RepositoryLocation location;
    private final S3Connection connection;
    private final S3Objects objects;
    private final S3WalStore wal;
    private final S3BackupStore backups;
    private final Path cache;

    /**
     * @param location  an s3:// location
     * @param env       the environment the credentials come from (AWS_ACCESS_KEY_ID, AWS_PROFILE, HOME, ...)
     * @param cacheHome this program's cache directory on this machine; the repository's cache is a folder of its own in it
     */
    public S3Repository(RepositoryLocation location, Map<String, String> env, Path cacheHome) {
        if (!location.isBucket()) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        this.location = location;
        this.connection = new S3Connection(location.bucket(), env);
        this.objects = new S3Objects(connection);
        this.cache = cacheHome.resolve("s3").resolve(cacheName(location));
        this.backups = new S3BackupStore(objects, cache.resolve("staging"));
        this.wal = new S3WalStore(objects, new S3ArchiveCommand(location.bucket(), S3Connection.regionOf(location.bucket(), env),
                S3ArchiveCommand.location(cache, OsUser.currentIsRoot()),
                Optional.ofNullable(env.get("AWS_SHARED_CREDENTIALS_FILE")).filter(f -> !f.isBlank())));
    }

    @Override
    public RepositoryLocation location() {
        return location;
    }

    @Override
    public WalStore wal() {
        return wal;
    }

    @Override
    public BackupStore backups() {
        return backups;
    }

    @Override
    public Path localCache() {
        return cache;
    }

    @Override
    public void requireReadable() {
        objects.probe();
    }

    @Override
    public void requireWritable() {
        objects.probe();
        String probe = ".pitr/write-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        // a change without a body first: a read-only service that answers a PUT before reading its
        // body can break the request while it is sent ("Error writing request body"), so its own
        // answer (501, 403) would be lost; to a DELETE of a name nobody has it is always read
        objects.delete(probe);
        objects.put(probe, new byte[0]);
        objects.delete(probe);
    }

    @Override
    public RepositoryLock lock(LockUse use, String operation) {
        return S3Lock.acquire(objects, use, operation);
    }

    @Override
    public List<LockHolder> holders() {
        return S3Lock.holders(objects);
    }

    @Override
    public List<LeftoverFile> leftovers(Instant now) {
        // every object is written by one PUT: a killed writer leaves nothing behind
        return List.of();
    }

    @Override
    public void removeLeftover(String name) {
        throw new IllegalArgumentException("an s3:// repository has no left-over temporary files: " + name);
    }

    @Override
    public Optional<byte[]> read(RepositoryDocument document) throws IOException {
        return objects.read(name(document));
    }

    @Override
    public void write(RepositoryDocument document, byte[] content) {
        objects.put(name(document), content);
    }

    /**
     * Each write is conditional on the version read (If-Match on its ETag, If-None-Match when there
     * was none) and is tried again from a fresh read when another writer came first. On a service
     * that ignores conditional writes, two writers on different machines can still lose one change.
     */
    @Override
    public byte[] update(RepositoryDocument document, Function<Optional<byte[]>, byte[]> change) {
        String key = objects.key(name(document));
        String bucket = connection.bucket().bucket();
        synchronized (this) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Optional<byte[]> current;
                String etag;
                try {
                    var response = connection.client().getObjectAsBytes(r -> r.bucket(bucket).key(key));
                    GetObjectResponse head = response.response();
                    current = Optional.of(response.asByteArray());
                    etag = head.eTag();
                } catch (NoSuchKeyException none) {
                    current = Optional.empty();
                    etag = null;
                } catch (SdkException e) {
                    throw connection.explain("read " + where(document), e);
                }
                byte[] next = change.apply(current);
                String ifMatch = etag;
                try {
                    connection.client().putObject(r -> {
                        r.bucket(bucket).key(key).contentMD5(S3Objects.md5(next));
                        if (ifMatch == null) {
                            r.ifNoneMatch("*");
                        } else {
                            r.ifMatch(ifMatch);
                        }
                    }, RequestBody.fromBytes(next));
                    return next;
                } catch (S3Exception e) {
                    if (e.statusCode() != 412 && e.statusCode() != 409) {
                        throw connection.explain("write " + where(document), e);
                    }
                } catch (SdkException e) {
                    throw connection.explain("write " + where(document), e);
                }
            }
        }
        throw new PitrException("cannot update " + where(document) + ": other writers kept changing it",
                "run the command again once the other process is done");
    }

    @Override
    public String where(RepositoryDocument document) {
        return objects.uri(name(document));
    }

    @Override
    public void close() {
        connection.close();
    }

    private static String name(RepositoryDocument document) {
        return switch (document) {
            case SCHEDULE -> "backup_schedule.json";
            case BACKUP_LIST -> "backup_metadata.json";
            case ABANDONED_TIMELINES -> ".pitr/abandoned-timelines.json";
            case ENCRYPTION -> ".pitr/encryption.json";
        };
    }

    /** A folder name per bucket, prefix and service: readable, and unique by a digest of all three. */
    private static String cacheName(RepositoryLocation location) {
        var b = location.bucket();
        String identity = b.endpoint().map(Object::toString).orElse("aws") + "\n" + b.bucket() + "\n" + b.prefix();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return b.bucket() + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
