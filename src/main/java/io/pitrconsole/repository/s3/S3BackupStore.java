package io.pitrconsole.repository.s3;

import io.pitrconsole.core.FileTrees;
import io.pitrconsole.repository.BackupIds;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The backups in a bucket, in a directory repository's layout: PREFIX/backup_YYYYMMDD_HHMMSS/
 * with backup.json beside the backup's files. A record is one PUT, so a reader sees the old
 * document or the new one. A new backup is written by pg_basebackup into a staging directory on
 * this machine and goes up while it is written ({@link S3IncomingBackup}): the staging directory
 * holds only the parts not sent yet. Until the last file is stored the backup holds a .incoming/
 * marker object, and its record says it is running, so nothing partial is listed as complete.
 */
final class S3BackupStore implements BackupStore {
    private static final String INCOMING = ".incoming";
    private static final String MARKER = "started";

    private final S3Objects objects;
    private final Path staging;

    /** @param staging the directory on this machine where a new backup is written before it is uploaded */
    S3BackupStore(S3Objects objects, Path staging) {
        this.objects = objects;
        this.staging = staging;
    }

    @Override
    public List<String> ids() {
        return objects.folders().stream().filter(BackupIds::isBackupId).toList();
    }

    @Override
    public boolean exists(String id) {
        return objects.any(folder(id));
    }

    /** Each record (and the backup history file the catalog reads with it) is a request: eight at a time. */
    @Override
    public int recordReaders() {
        return 8;
    }

    @Override
    public Optional<byte[]> readRecord(String id) throws IOException {
        return objects.read(folder(id) + "/" + RECORD);
    }

    @Override
    public void writeRecord(String id, byte[] document) {
        objects.put(folder(id) + "/" + RECORD, document);
    }

    @Override
    public void delete(String id) {
        objects.deleteKeys(objects.list(folder(id)).stream().map(S3Object::key).toList());
    }

    @Override
    public long size(String id) {
        return objects.list(folder(id)).stream().mapToLong(S3Object::size).sum();
    }

    @Override
    public long size(String id, String file) throws IOException {
        return objects.head(name(id, file)).orElseThrow(() -> new NoSuchFileException(objects.uri(name(id, file)))).contentLength();
    }

    @Override
    public List<String> files(String id) {
        String folder = objects.key(folder(id)) + "/";
        return objects.list(folder(id)).stream().map(o -> o.key().substring(folder.length()))
                .filter(n -> !n.equals(RECORD) && !n.startsWith(".") && !n.contains("/")).sorted().toList();
    }

    @Override
    public InputStream open(String id, String file) throws IOException {
        return objects.open(name(id, file));
    }

    /** A ranged GET: a response closed after its first bytes had the JDK's TLS read the rest of it (a whole base tar) first. */
    @Override
    public InputStream openHead(String id, String file, int bytes) throws IOException {
        return objects.openRange(name(id, file), bytes);
    }

    /**
     * Uploads the new content over the object, part by part (a multipart upload becomes the object
     * only when completed): S3 shows a reader the old object or the new one, and an upload that
     * fails is aborted.
     */
    @Override
    public void replace(String id, String file, InputStream content) throws IOException {
        String target = name(id, file);
        if (objects.head(target).isEmpty()) {
            throw new NoSuchFileException(objects.uri(target));
        }
        try (S3PartSender sender = new S3PartSender()) {
            S3Upload upload = new S3Upload(objects, sender, target);
            try {
                while (true) {
                    byte[] buffer = sender.buffer();
                    int n = content.readNBytes(buffer, 0, buffer.length);
                    if (n < buffer.length) {
                        upload.finish(buffer, n);
                        return;
                    }
                    upload.part(buffer);
                }
            } catch (InterruptedException e) {
                upload.abort();
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while replacing " + objects.uri(target));
            } catch (IOException | RuntimeException e) {
                upload.abort();
                throw e;
            }
        }
    }

    @Override
    public Optional<Path> localFile(String id, String file) {
        return Optional.empty();
    }

    @Override
    public String where(String id) {
        return objects.uri(folder(id)) + "/";
    }

    @Override
    public String newId(LocalDateTime now) {
        Set<String> taken = new HashSet<>(objects.folders());
        return BackupIds.next(now, taken::contains, "remove stray backup_* folders from " + objects.connection().bucket().uri());
    }

    @Override
    public NewBackup create(String id) throws IOException {
        return start(id, Optional.empty());
    }

    /**
     * Each tar sealed as it is followed, the rest at commit: only sealed bytes go into the bucket.
     * The staging directory of such a backup is private (0700): it holds plain parts until they are sent.
     */
    @Override
    public Optional<NewBackup> createSealed(String id, Sealing sealing) throws IOException {
        return Optional.of(start(id, Optional.of(sealing)));
    }

    private NewBackup start(String id, Optional<Sealing> sealing) throws IOException {
        Path local = staging.resolve(folder(id));
        FileTrees.deleteRecursively(local);
        Files.createDirectories(local.getParent());
        if (sealing.isPresent()) {
            Files.createDirectory(local, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(local);
        }
        String marker = folder(id) + "/" + INCOMING + "/" + MARKER;
        objects.put(marker, new byte[0]);
        return new S3IncomingBackup(objects, id, local, marker, sealing);
    }

    @Override
    public boolean hasIncoming(String id) {
        return objects.any(folder(id) + "/" + INCOMING);
    }

    @Override
    public void discardFiles(String id) throws IOException {
        FileTrees.deleteRecursively(staging.resolve(folder(id)));
        objects.abortUploads(folder(id));
        String record = objects.key(folder(id) + "/" + RECORD);
        objects.deleteKeys(objects.list(folder(id)).stream().map(S3Object::key).filter(k -> !k.equals(record)).toList());
    }

    @Override
    public OptionalLong usableSpace() throws IOException {
        // a bucket has no free space to ask for, and the staging directory holds only the parts not yet sent
        return OptionalLong.empty();
    }

    private static String folder(String id) {
        return BackupIds.require(id);
    }

    static String name(String id, String file) {
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("not a backup file name: " + file);
        }
        return folder(id) + "/" + file;
    }
}
