package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The backups of an encrypted repository: each backup file encrypted with age, records and names as
 * they are (a record holds times, positions and checksums, no data). pg_basebackup writes a new
 * backup into a private directory on this machine, never into the repository. A store that can
 * encrypt each file while it is written (a bucket: {@link BackupStore#createSealed}) streams it so;
 * for any other, committing encrypts each file into the repository's own incoming backup and
 * commits that. Either way a backup is complete only as the repository's store says, and plain
 * bytes never reach the repository.
 */
final class EncryptedBackupStore implements BackupStore {
    private final BackupStore inner;
    private final EncryptedRepository repository;

    EncryptedBackupStore(BackupStore inner, EncryptedRepository repository) {
        this.inner = inner;
        this.repository = repository;
    }

    @Override
    public List<String> ids() throws IOException {
        return inner.ids();
    }

    @Override
    public boolean exists(String id) {
        return inner.exists(id);
    }

    @Override
    public int recordReaders() {
        return inner.recordReaders();
    }

    @Override
    public Optional<byte[]> readRecord(String id) throws IOException {
        return inner.readRecord(id);
    }

    @Override
    public void writeRecord(String id, byte[] document) throws IOException {
        inner.writeRecord(id, document);
    }

    @Override
    public void delete(String id) throws IOException {
        inner.delete(id);
    }

    @Override
    public long size(String id) throws IOException {
        return inner.size(id);
    }

    @Override
    public long size(String id, String file) throws IOException {
        return inner.size(id, file);
    }

    @Override
    public List<String> files(String id) throws IOException {
        return inner.files(id);
    }

    @Override
    public InputStream open(String id, String file) throws IOException {
        return repository.decrypting(inner.localFile(id, file), () -> inner.open(id, file), repository.keys(),
                file + " of backup " + id + " (" + inner.where(id) + ")");
    }

    /** Never a plain local file: readers stream {@link #open} instead. */
    @Override
    public Optional<Path> localFile(String id, String file) {
        return Optional.empty();
    }

    @Override
    public String where(String id) {
        return inner.where(id);
    }

    @Override
    public String newId(LocalDateTime now) {
        return inner.newId(now);
    }

    @Override
    public NewBackup create(String id) throws IOException {
        repository.recordEncryption();
        // a store that encrypts each file as pg_basebackup writes it (a bucket) streams; any other gets them encrypted at commit
        Optional<NewBackup> streaming = inner.createSealed(id, stored -> repository.age().encrypting(stored, repository.recipients()));
        if (streaming.isPresent()) {
            return streaming.get();
        }
        NewBackup target = inner.create(id);
        Path staging;
        try {
            staging = StagingDirs.create(repository.staging(), id);
        } catch (IOException e) {
            target.abandon();
            throw new PitrException("cannot make a private directory under " + repository.staging() + " for the backup before it is encrypted: "
                    + e.getMessage(), "check the space and permissions of " + repository.staging().getParent());
        }
        return new NewBackup() {
            @Override
            public String id() {
                return target.id();
            }

            @Override
            public Path incoming() {
                return staging;
            }

            @Override
            public List<String> commit(Cancellation cancellation) throws IOException {
                // pg_basebackup, which makes it otherwise, wrote into the staging directory instead
                Files.createDirectories(target.incoming());
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path plain : files.sorted().toList()) {
                        cancellation.throwIfCancelled("encrypting the backup");
                        if (!Files.isRegularFile(plain)) {
                            throw new IOException("the backup holds " + plain + ", which is not a file");
                        }
                        Path sealed = target.incoming().resolve(plain.getFileName().toString());
                        try (InputStream in = Files.newInputStream(plain);
                             OutputStream out = repository.age().encrypting(Files.newOutputStream(sealed), repository.recipients())) {
                            in.transferTo(out);
                        }
                        Files.delete(plain);
                    }
                }
                List<String> names = target.commit(cancellation);
                deleteStaging();
                return names;
            }

            @Override
            public void writing(Writer writer) {
                target.writing(writer);
            }

            @Override
            public Optional<RuntimeException> abandon() {
                deleteStaging();
                return target.abandon();
            }

            private void deleteStaging() {
                try {
                    io.pitrconsole.core.FileTrees.deleteRecursively(staging);
                } catch (IOException e) {
                    // a left-over private directory holds plain bytes on this machine only; the next backup's sweep removes it
                }
            }
        };
    }

    @Override
    public boolean hasIncoming(String id) {
        return inner.hasIncoming(id);
    }

    @Override
    public void discardFiles(String id) throws IOException {
        inner.discardFiles(id);
    }

    @Override
    public OptionalLong usableSpace() throws IOException {
        return inner.usableSpace();
    }

    @Override
    public Optional<java.nio.file.FileStore> fileStore() throws IOException {
        return inner.fileStore();
    }

    /**
     * The private directory a new backup is written into, plain, before it is encrypted into a
     * store on this machine's file system (see {@link #create}); a bucket takes each file encrypted
     * as it is written, and its staging directory holds only the parts not yet sent.
     */
    @Override
    public Optional<Staging> staging() throws IOException {
        Optional<java.nio.file.FileStore> store = inner.fileStore();
        if (store.isEmpty()) {
            return Optional.empty();
        }
        // the directory is made by the first backup: its nearest existing parent is on the file system it will be on
        Path existing = repository.staging().toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        java.nio.file.FileStore staging = Files.getFileStore(existing);
        return Optional.of(new Staging(repository.staging(), staging.getUsableSpace(), staging.equals(store.get())));
    }
}
