package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local directory repository keeps the archive's layout as earlier versions wrote it. */
class LocalDirectoryRepositoryTest {
    @TempDir
    Path archive;

    @Test
    void documentsLiveWhereTheOriginalScriptsAndEarlierVersionsPutThem() throws Exception {
        Repository repository = LocalDirectoryRepository.at(archive);
        repository.write(RepositoryDocument.SCHEDULE, "{}".getBytes(StandardCharsets.UTF_8));
        repository.write(RepositoryDocument.BACKUP_LIST, "[]".getBytes(StandardCharsets.UTF_8));
        repository.update(RepositoryDocument.ABANDONED_TIMELINES, old -> "{\"version\":1,\"timelines\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(archive.resolve("backup_schedule.json"))).isEqualTo("{}");
        assertThat(Files.readString(archive.resolve("backup_metadata.json"))).isEqualTo("[]");
        assertThat(Files.readString(archive.resolve(".pitr/abandoned-timelines.json"))).isEqualTo("{\"version\":1,\"timelines\":[]}");
        assertThat(repository.where(RepositoryDocument.SCHEDULE)).isEqualTo(archive.resolve("backup_schedule.json").toString());
        assertThat(repository.localCache()).isEqualTo(archive.resolve(".pitr"));
    }

    @Test
    void aNewBackupShowsNoFilesUntilItsIncomingDirectoryIsCommitted() throws Exception {
        BackupStore store = LocalDirectoryRepository.at(archive).backups();
        String id = store.newId(LocalDateTime.of(2026, 12, 6, 3, 0, 0));
        assertThat(id).isEqualTo("backup_20261206_030000");
        BackupStore.NewBackup backup = store.create(id);
        assertThat(backup.incoming()).isEqualTo(archive.resolve(id).resolve(".incoming"));
        Files.createDirectories(backup.incoming());
        Files.writeString(backup.incoming().resolve("base.tar"), "tar");
        Files.writeString(backup.incoming().resolve("backup_manifest"), "{}");
        store.writeRecord(id, "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(store.ids()).containsExactly(id);
        assertThat(store.files(id)).as("nothing incoming counts").isEmpty();
        assertThat(store.hasIncoming(id)).isTrue();
        assertThat(store.newId(LocalDateTime.of(2026, 12, 6, 3, 0, 0))).as("a taken name moves on a second").isEqualTo("backup_20261206_030001");

        assertThat(backup.commit(io.pitrconsole.core.Cancellation.none())).containsExactly("backup_manifest", "base.tar");
        assertThat(store.hasIncoming(id)).isFalse();
        assertThat(store.files(id)).containsExactly("backup_manifest", "base.tar");
        assertThat(archive.resolve(id).resolve("backup.json")).hasContent("{\"id\":\"x\"}");
        try (InputStream in = store.open(id, "base.tar")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("tar");
        }
        assertThat(store.localFile(id, "base.tar")).hasValue(archive.resolve(id).resolve("base.tar"));
        assertThatThrownBy(() -> store.open(id, "../backup_metadata.json")).isInstanceOf(IllegalArgumentException.class);

        store.discardFiles(id);
        assertThat(store.files(id)).isEmpty();
        assertThat(store.readRecord(id)).as("a failed backup keeps its record").isPresent();
        store.delete(id);
        assertThat(store.exists(id)).isFalse();
    }

    @Test
    void theLockIsTheFilesInPitrLocks() {
        Repository repository = LocalDirectoryRepository.at(archive);
        try (RepositoryLock lock = repository.lock(LockUse.BACKUP, "backup create")) {
            assertThat(repository.holders()).extracting(h -> h.operation()).containsExactly("backup create");
            assertThat(ArchiveLock.holders(new ArchiveLayout(archive))).hasSize(1);
            assertThat(archive.resolve(".pitr/locks")).isNotEmptyDirectory();
        }
        assertThat(repository.holders()).isEmpty();
    }

    @Test
    void onlyTemporaryFilesInsideTheArchiveAreRemovedAsLeftovers() throws Exception {
        Repository repository = LocalDirectoryRepository.at(archive);
        Path wal = Files.createDirectories(archive.resolve("wal_archive"));
        Path temp = Files.writeString(wal.resolve(".000000010000000000000003.tmp.999999999"), "x");
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minusSeconds(3600)));
        Path segment = Files.writeString(wal.resolve("000000010000000000000003"), "segment");

        List<LeftoverFile> found = repository.leftovers(Instant.now());
        assertThat(found).extracting(LeftoverFile::name).containsExactly("wal_archive/.000000010000000000000003.tmp.999999999");
        assertThatThrownBy(() -> repository.removeLeftover("wal_archive/000000010000000000000003")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repository.removeLeftover("../.x.tmp")).isInstanceOf(IllegalArgumentException.class);
        repository.removeLeftover(found.get(0).name());
        assertThat(temp).doesNotExist();
        assertThat(segment).exists();
    }
}
