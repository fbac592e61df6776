package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.InMemoryRepository;
import io.pitrconsole.repository.RepositoryDocument;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog reads and writes backup records through the repository alone: here one held in memory. */
class BackupCatalogInMemoryTest {
    @TempDir
    Path cache;

    private static byte[] fixture() throws Exception {
        try (InputStream in = BackupCatalogInMemoryTest.class.getResourceAsStream("backup-v1.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void listsNewestFirstWithUnreadableRecordsNamedNotSkipped() throws Exception {
        InMemoryRepository repository = new InMemoryRepository(cache);
        BackupCatalog catalog = new BackupCatalog(repository);
        repository.backups().add("backup_20261206_001313");
        repository.backups().writeRecord("backup_20261206_001313", fixture());
        repository.backups().add("backup_20261207_000000");
        repository.backups().add("backup_20261205_000000");
        repository.backups().writeRecord("backup_20261205_000000", "{ not json".getBytes(StandardCharsets.UTF_8));

        assertThat(catalog.entries()).extracting(CatalogEntry::id)
                .containsExactly("backup_20261207_000000", "backup_20261206_001313", "backup_20261205_000000");
        assertThat(catalog.entries().get(0).problem()).hasValue("backup.json is missing");
        assertThat(catalog.entries().get(2).problem().orElseThrow()).startsWith("backup.json does not parse");
        assertThat(catalog.records()).extracting(BackupRecord::id).containsExactly("backup_20261206_001313");
        assertThatThrownBy(() -> catalog.get("backup_20261205_000000")).isInstanceOf(PitrException.class)
                .hasMessageContaining("does not parse");
        assertThatThrownBy(() -> catalog.get("backup_20991231_000000")).isInstanceOf(PitrException.class)
                .hasMessageStartingWith("no backup backup_20991231_000000 in ");
    }

    @Test
    void savesRecordsAndTheOriginalScriptsListThroughTheRepository() throws Exception {
        InMemoryRepository repository = new InMemoryRepository(cache);
        BackupCatalog catalog = new BackupCatalog(repository);
        repository.backups().add("backup_20261206_001313");
        repository.backups().writeRecord("backup_20261206_001313", fixture());
        BackupRecord verified = catalog.get("backup_20261206_001313")
                .withVerification(BackupStatus.VERIFIED, Instant.parse("2026-12-06T01:00:00Z"), "all 3 files match the manifest");
        catalog.save(verified);
        catalog.refreshLegacyMetadata();

        assertThat(catalog.get("backup_20261206_001313")).isEqualTo(verified);
        assertThat(Json.mapper().readValue(repository.backups().readRecord("backup_20261206_001313").orElseThrow(), BackupRecord.class))
                .isEqualTo(verified);
        LegacyMetadata list = Json.mapper().readValue(repository.read(RepositoryDocument.BACKUP_LIST).orElseThrow(), LegacyMetadata.class);
        assertThat(list.backups()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("backup_20261206_001313");
            assertThat(e.verified()).isTrue();
        });
    }
}
