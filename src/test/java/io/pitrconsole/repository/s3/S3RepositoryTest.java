package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.RepositoryDocument;
import io.pitrconsole.repository.RepositoryLocation;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.WalFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The bucket repository's stores, documents and lock against a real S3 API server (s3proxy). */
class S3RepositoryTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path cacheHome;

    private String bucket;
    private S3Repository repo;
    private S3Client client;

    @BeforeEach
    void bucket() {
        bucket = s3.newBucket();
        client = s3.client();
        repo = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/main", new S3Options(s3.endpoint().toString(), null, true)),
                s3.credentials(), cacheHome);
    }

    @AfterEach
    void close() {
        repo.close();
        client.close();
    }

    private void putObject(String key, String content) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private static String text(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theHeadOfAWalFileIsFetchedAloneNotTheWholeObject() throws Exception {
        byte[] segment = new byte[1 << 20];
        new java.util.Random(3).nextBytes(segment);
        client.putObject(r -> r.bucket(bucket).key("pitr/main/wal_archive/000000010000000000000001"), RequestBody.fromBytes(segment));
        putObject("pitr/main/wal_archive/00000002.history", "short");
        try (InputStream in = repo.wal().openHead("000000010000000000000001", 40)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOf(segment, 40));
        }
        // a file shorter than the head asked for comes whole
        assertThat(text(repo.wal().openHead("00000002.history", 40))).isEqualTo("short");
        assertThatThrownBy(() -> repo.wal().openHead("000000010000000000000009", 40)).isInstanceOf(NoSuchFileException.class);
        client.putObject(r -> r.bucket(bucket).key("pitr/main/backup_20261201_010203/base.tar"), RequestBody.fromBytes(segment));
        try (InputStream in = repo.backups().openHead("backup_20261201_010203", "base.tar", 512)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOf(segment, 512));
        }
    }

    @Test
    void theCatalogOfABucketReadsItsRecordsSeveralAtOnceAndKeepsEachOnesWordAndOrder() throws Exception {
        assertThat(repo.backups().recordReaders()).isGreaterThan(1);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String id = String.format("backup_202612%02d_010203", i);
            ids.add(id);
            byte[] doc = switch (i) {
                case 4 -> "{ not json".getBytes(StandardCharsets.UTF_8);
                case 7 -> io.pitrconsole.core.Json.mapper().writeValueAsBytes(record("backup_20261130_000000"));
                default -> io.pitrconsole.core.Json.mapper().writeValueAsBytes(record(id));
            };
            repo.backups().writeRecord(id, doc);
        }
        // a backup folder without its record
        putObject("pitr/main/backup_20261213_010203/base.tar.gz", "base bytes");
        ids.add("backup_20261213_010203");

        java.util.List<io.pitrconsole.archive.CatalogEntry> entries = new io.pitrconsole.archive.BackupCatalog(repo).entries();
        assertThat(entries).extracting(io.pitrconsole.archive.CatalogEntry::id)
                .containsExactlyElementsOf(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertThat(entries).filteredOn(e -> e.problem().isPresent()).extracting(e -> e.id() + ": " + e.problem().get())
                .hasSize(3)
                .contains("backup_20261213_010203: backup.json is missing",
                        "backup_20261207_010203: backup.json does not describe backup_20261207_010203 (id or status missing or different)")
                .anyMatch(p -> p.startsWith("backup_20261204_010203: backup.json does not parse"));
        assertThat(entries).filteredOn(e -> e.record().isPresent()).extracting(e -> e.record().get().id())
                .hasSize(10).allSatisfy(id -> assertThat(id).matches("backup_202612(0[1-9]|1[0-2])_010203"));
    }

    private static io.pitrconsole.archive.BackupRecord record(String id) {
        return new io.pitrconsole.archive.BackupRecord(1, id, "", io.pitrconsole.archive.BackupStatus.COMPLETE, null, null, null, null, null,
                null, 1, "15", "7000000000000000001", 16777216L, null, 1, 1, "", 0, java.util.List.of(), java.util.List.of(), 0.0, null,
                null, null);
    }

    @Test
    void backupsAreTheFoldersOfTheDirectoryLayoutUnderThePrefix() throws Exception {
        assertThat(repo.backups().ids()).isEmpty();
        repo.backups().writeRecord("backup_20261201_010203", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        putObject("pitr/main/backup_20261201_010203/base.tar.gz", "base bytes");
        putObject("pitr/main/backup_20261201_010203/backup_manifest", "manifest");
        putObject("pitr/main/backup_20261202_000000/backup.json", "{}");
        // not backups: another prefix, a folder of another name, wal_archive
        putObject("pitr/other/backup_20261203_000000/backup.json", "{}");
        putObject("pitr/main/notes/backup.json", "{}");
        putObject("pitr/main/wal_archive/000000010000000000000001", "wal");

        assertThat(repo.backups().ids()).containsExactlyInAnyOrder("backup_20261201_010203", "backup_20261202_000000");
        assertThat(repo.backups().exists("backup_20261201_010203")).isTrue();
        assertThat(repo.backups().exists("backup_20261204_000000")).isFalse();
        assertThat(repo.backups().readRecord("backup_20261201_010203")).map(b -> new String(b, StandardCharsets.UTF_8)).contains("{\"a\":1}");
        assertThat(repo.backups().readRecord("backup_20261204_000000")).isEmpty();
        assertThat(repo.backups().files("backup_20261201_010203")).containsExactly("backup_manifest", "base.tar.gz");
        assertThat(repo.backups().size("backup_20261201_010203", "base.tar.gz")).isEqualTo(10);
        assertThat(repo.backups().size("backup_20261201_010203")).isEqualTo(10 + 8 + 7);
        assertThat(text(repo.backups().open("backup_20261201_010203", "base.tar.gz"))).isEqualTo("base bytes");
        assertThatThrownBy(() -> repo.backups().open("backup_20261201_010203", "nothing.tar")).isInstanceOf(NoSuchFileException.class);
        assertThat(repo.backups().localFile("backup_20261201_010203", "base.tar.gz")).isEmpty();
        assertThat(repo.backups().where("backup_20261201_010203")).isEqualTo("s3://" + bucket + "/pitr/main/backup_20261201_010203/");
        assertThat(repo.backups().newId(LocalDateTime.of(2026, 12, 2, 0, 0))).isEqualTo("backup_20261202_000001");
        // a bucket has no free space to ask for, and a new backup goes up while it is written, never held whole on this machine
        assertThat(repo.backups().usableSpace()).isEmpty();

        repo.backups().discardFiles("backup_20261201_010203");
        assertThat(repo.backups().files("backup_20261201_010203")).isEmpty();
        assertThat(repo.backups().readRecord("backup_20261201_010203")).isPresent();
        repo.backups().delete("backup_20261201_010203");
        assertThat(repo.backups().ids()).containsExactly("backup_20261202_000000");
        assertThat(client.headObject(r -> r.bucket(bucket).key("pitr/other/backup_20261203_000000/backup.json")).contentLength()).isEqualTo(2);
    }


    @Test
    void walIsListedWithSizeAndArrivalAndReadBack() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        repo.wal().put("000000010000000000000002", new ByteArrayInputStream("segment two".getBytes(StandardCharsets.UTF_8)));
        repo.wal().put("00000002.history", new ByteArrayInputStream("1\t0/3000000\tno reason".getBytes(StandardCharsets.UTF_8)));
        putObject("pitr/main/wal_archive/.000000010000000000000003.tmp.42", "a writer's temporary file");

        assertThat(repo.wal().list()).extracting(WalFile::name).containsExactly("000000010000000000000002", "00000002.history");
        WalFile first = repo.wal().list().get(0);
        assertThat(first.size()).isEqualTo(11);
        assertThat(first.modified()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(text(repo.wal().open("000000010000000000000002"))).isEqualTo("segment two");
        assertThatThrownBy(() -> repo.wal().open("000000010000000000000009")).isInstanceOf(NoSuchFileException.class);
        assertThat(repo.wal().localFile("000000010000000000000002")).isEmpty();

        assertThat(repo.wal().delete("000000010000000000000002")).isTrue();
        assertThat(repo.wal().delete("000000010000000000000002")).isFalse();
        assertThat(repo.wal().list()).extracting(WalFile::name).containsExactly("00000002.history");
    }

    @Test
    void aWalFileIsNeverOverwrittenWithDifferentContentButTheSameContentCountsAsStored() throws Exception {
        String name = "000000010000000000000005";
        repo.wal().put(name, new ByteArrayInputStream("first".getBytes(StandardCharsets.UTF_8)));
        repo.wal().put(name, new ByteArrayInputStream("first".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> repo.wal().put(name, new ByteArrayInputStream("other".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(PitrException.class).hasMessageContaining("refusing to overwrite s3://" + bucket + "/pitr/main/wal_archive/" + name);
        assertThat(text(repo.wal().open(name))).isEqualTo("first");
    }

    @Test
    void documentsAreObjectsBesideTheBackupsAndUpdatesKeepEachChange() throws Exception {
        assertThat(repo.read(RepositoryDocument.SCHEDULE)).isEmpty();
        repo.write(RepositoryDocument.SCHEDULE, "{\"cron\":\"0 2 * * *\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(repo.read(RepositoryDocument.SCHEDULE)).map(b -> new String(b, StandardCharsets.UTF_8)).contains("{\"cron\":\"0 2 * * *\"}");
        assertThat(repo.where(RepositoryDocument.SCHEDULE)).isEqualTo("s3://" + bucket + "/pitr/main/backup_schedule.json");
        assertThat(repo.where(RepositoryDocument.BACKUP_LIST)).isEqualTo("s3://" + bucket + "/pitr/main/backup_metadata.json");

        for (int i = 0; i < 3; i++) {
            repo.update(RepositoryDocument.ABANDONED_TIMELINES, old -> (new String(old.orElse(new byte[0]), StandardCharsets.UTF_8) + "x")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(repo.read(RepositoryDocument.ABANDONED_TIMELINES)).map(b -> new String(b, StandardCharsets.UTF_8)).contains("xxx");
    }

    @Test
    void theLockNamesItsHolderExcludesConflictingUsesAndIsGoneWhenClosed() {
        assertThat(repo.holders()).isEmpty();
        try (RepositoryLock backup = repo.lock(LockUse.BACKUP, "backup create")) {
            assertThat(repo.holders()).extracting(h -> h.operation()).containsExactly("backup create");
            assertThat(repo.holders().get(0).pid()).isEqualTo(ProcessHandle.current().pid());
            assertThatThrownBy(() -> repo.lock(LockUse.CLEANUP, "cleanup")).isInstanceOf(PitrException.class)
                    .hasMessageContaining("the archive is busy: backup create by process " + ProcessHandle.current().pid());
            try (RepositoryLock restore = repo.lock(LockUse.RESTORE, "rehearsal")) {
                assertThat(repo.holders()).hasSize(2);
            }
        }
        assertThat(repo.holders()).isEmpty();
        assertThat(client.listObjectsV2(r -> r.bucket(bucket).prefix("pitr/main/.pitr/locks/")).keyCount()).isZero();
    }

    @Test
    void theLocalCacheIsOnThisMachinePerRepositoryNeverInTheBucket() {
        S3Repository other = new S3Repository(RepositoryLocation.parse("s3://" + bucket + "/pitr/other", new S3Options(s3.endpoint().toString(), null, true)),
                s3.credentials(), cacheHome);
        assertThat(repo.localCache().startsWith(cacheHome)).isTrue();
        assertThat(repo.localCache()).isNotEqualTo(other.localCache());
        other.close();
        repo.requireReadable();
        repo.requireWritable();
        assertThat(client.listObjectsV2(r -> r.bucket(bucket)).keyCount()).as("the write probe leaves nothing").isZero();
        assertThat(repo.leftovers(Instant.now())).isEmpty();
        assertThat(Optional.of(repo.location().toString())).contains("s3://" + bucket + "/pitr/main");
    }

    @Test
    void aLockLeftByAnEndedProcessOfThisHostIsRemovedOneOfAnotherHostStays() throws Exception {
        String here = java.net.InetAddress.getLocalHost().getHostName();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        putObject("pitr/main/.pitr/locks/backup-x.json", "{\"use\":\"BACKUP\",\"pid\":" + ended.pid() + ",\"host\":\"" + here
                + "\",\"operation\":\"backup create\",\"since\":\"2026-12-01T00:00:00Z\"}");
        assertThat(repo.holders()).isEmpty();
        try (RepositoryLock cleanup = repo.lock(LockUse.CLEANUP, "cleanup")) {
            assertThat(cleanup.staleLocksRemoved()).extracting(h -> h.pid()).containsExactly(ended.pid());
        }
        putObject("pitr/main/.pitr/locks/backup-y.json", "{\"use\":\"BACKUP\",\"pid\":1,\"host\":\"elsewhere.example\","
                + "\"operation\":\"backup create\",\"since\":\"2026-12-01T00:00:00Z\"}");
        assertThatThrownBy(() -> repo.lock(LockUse.CLEANUP, "cleanup")).isInstanceOf(PitrException.class)
                .hasMessageContaining("the archive is busy: backup create by process 1 on elsewhere.example")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("pitr/main/.pitr/locks/backup-y.json"));
    }
}
