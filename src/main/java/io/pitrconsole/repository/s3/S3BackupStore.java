package io.pitrconsole.repository.s3;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The backups in a bucket, in a directory repository's layout: PREFIX/backup_YYYYMMDD_HHMMSS/
 * with backup.json beside the backup's files. A record is one PUT, so a reader sees the old
 * document or the new one. Writing a new backup into a bucket is not supported yet.
 */
final class S3BackupStore implements BackupStore {
    static final Pattern BACKUP_ID = Pattern.compile("backup_\\d{8}_\\d{6}(_\\d+)?");
    private static final String INCOMING = ".incoming";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final S3Objects objects;

    S3BackupStore(S3Objects objects) {
        this.objects = objects;
    }

    @Override
    public List<String> ids() {
        return objects.folders().stream().filter(n -> BACKUP_ID.matcher(n).matches()).toList();
    }

    @Override
    public boolean exists(String id) {
        return objects.any(folder(id));
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
        LocalDateTime t = now.withNano(0);
        for (int i = 0; i < 3600; i++) {
            String id = "backup_" + ID_TIME.format(t.plusSeconds(i));
            if (!taken.contains(id)) {
                return id;
            }
        }
        throw new PitrException("no free backup id near " + t, "remove stray backup_* folders from " + objects.connection().bucket().uri());
    }

    @Override
    public NewBackup create(String id) {
        throw S3Repository.notYet("backup create");
    }

    @Override
    public boolean hasIncoming(String id) {
        return objects.any(folder(id) + "/" + INCOMING);
    }

    @Override
    public void discardFiles(String id) {
        String record = objects.key(folder(id) + "/" + RECORD);
        objects.deleteKeys(objects.list(folder(id)).stream().map(S3Object::key).filter(k -> !k.equals(record)).toList());
    }

    @Override
    public OptionalLong usableSpace() {
        // a bucket has no free space to ask for
        return OptionalLong.empty();
    }

    private static String folder(String id) {
        if (!BACKUP_ID.matcher(id).matches()) {
            throw new PitrException("'" + id + "' is not a backup id",
                    Hint.of("backup ids look like backup_20261125_021500; 'backup list' shows them",
                            "backup ids look like backup_20261125_021500; the Backups page lists them"));
        }
        return id;
    }

    private static String name(String id, String file) {
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("not a backup file name: " + file);
        }
        return folder(id) + "/" + file;
    }
}
