package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wal_archive/ behind the WalStore interface: the same files, byte for byte, as the archive_command script writes. */
class LocalWalStoreTest {
    @TempDir
    Path root;

    private WalStore store() {
        return LocalDirectoryRepository.at(root).wal();
    }

    @Test
    void listsArchivedFilesAndSkipsWhatARunningArchiveCommandWrites() throws Exception {
        Path dir = Files.createDirectories(root.resolve("wal_archive"));
        Files.write(dir.resolve("000000010000000000000002"), new byte[3]);
        Files.write(dir.resolve("000000010000000000000001.zst"), new byte[5]);
        Files.writeString(dir.resolve("00000002.history.gz"), "x");
        Files.write(dir.resolve(".000000010000000000000003.tmp.4242"), new byte[7]);
        Files.write(dir.resolve(".archive-wal.lock"), new byte[0]);
        Files.createDirectories(dir.resolve("000000010000000000000004"));

        assertThat(store().list()).extracting(WalFile::name)
                .containsExactly("000000010000000000000001.zst", "000000010000000000000002", "00000002.history.gz");
        assertThat(store().list()).extracting(WalFile::size).containsExactly(5L, 3L, 1L);
        assertThat(store().list().get(1).modified()).isEqualTo(Files.getLastModifiedTime(dir.resolve("000000010000000000000002")).toInstant());
    }

    @Test
    void anArchiveWithoutWalArchiveListsNothing() {
        assertThat(store().list()).isEmpty();
    }

    @Test
    void putWritesTheFileInPlaceAndNeverOverwritesItWithOtherContent() throws Exception {
        byte[] segment = "segment bytes".getBytes();
        store().put("000000010000000000000001", new ByteArrayInputStream(segment));
        Path file = root.resolve("wal_archive").resolve("000000010000000000000001");
        assertThat(file).hasBinaryContent(segment);

        store().put("000000010000000000000001", new ByteArrayInputStream(segment));
        assertThatThrownBy(() -> store().put("000000010000000000000001", new ByteArrayInputStream("other".getBytes())))
                .isInstanceOf(PitrException.class).hasMessageContaining("refusing to overwrite");

        assertThat(file).hasBinaryContent(segment);
        try (Stream<Path> left = Files.list(root.resolve("wal_archive"))) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("000000010000000000000001");
        }
        try (InputStream in = store().open("000000010000000000000001")) {
            assertThat(in.readAllBytes()).isEqualTo(segment);
        }
        assertThat(store().localFile("000000010000000000000001")).contains(file);
    }

    @Test
    void deleteRemovesOnceAndOpeningAMissingFileSaysSo() throws Exception {
        store().put("00000002.history", new ByteArrayInputStream("1\t0/3000000\tno recovery target specified\n".getBytes()));
        assertThat(store().delete("00000002.history")).isTrue();
        assertThat(store().delete("00000002.history")).isFalse();
        assertThatThrownBy(() -> store().open("00000002.history")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void namesOutsideTheArchiveAreRefused() {
        assertThatThrownBy(() -> store().open("../backup_metadata.json")).isInstanceOf(PitrException.class);
        assertThatThrownBy(() -> store().delete(".archive-wal.lock")).isInstanceOf(PitrException.class);
    }
}
