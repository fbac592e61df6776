package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.S3Options;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a WAL file or backup file of a directory repository (a key change's rewrite): whole, or not at all. */
class LocalReplaceTest {
    @TempDir
    Path dir;

    private Repository repository() {
        return new LocalDirectoryRepository(RepositoryLocation.parse(dir.toString(), S3Options.NONE));
    }

    @Test
    void aReplacedFileKeepsItsModeAndAFailedReplacementLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Repository r = repository();
        r.wal().put("000000010000000000000001", new ByteArrayInputStream("old".getBytes()));
        Path wal = dir.resolve("wal_archive/000000010000000000000001");
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r-----"));
        r.wal().replace("000000010000000000000001", new ByteArrayInputStream("new".getBytes()));
        assertThat(Files.readString(wal)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-r-----");

        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[100_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("source failed");
            }
        });
        assertThatThrownBy(() -> r.wal().replace("000000010000000000000001", failing)).hasMessageContaining("source failed");
        assertThat(Files.readString(wal)).isEqualTo("new");
        try (Stream<Path> s = Files.list(wal.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("000000010000000000000001");
        }
        assertThatThrownBy(() -> r.wal().replace("000000010000000000000002", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(NoSuchFileException.class);

        Files.createDirectories(dir.resolve("backup_20260101_000000"));
        Files.writeString(dir.resolve("backup_20260101_000000/base.tar"), "old tar");
        r.backups().replace("backup_20260101_000000", "base.tar", new ByteArrayInputStream("new tar".getBytes()));
        assertThat(Files.readString(dir.resolve("backup_20260101_000000/base.tar"))).isEqualTo("new tar");
        assertThat(r.backups().files("backup_20260101_000000")).containsExactly("base.tar");
        assertThatThrownBy(() -> r.backups().replace("backup_20260101_000000", "pg_wal.tar", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(NoSuchFileException.class);
    }
}
