package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.CleanupPlan;
import io.pitrconsole.schedule.CleanupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cleanup never leaves an archive whose backups all lack the WAL to restore them. */
class CleanupKeepsRestorableTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @Test
    void olderBackupWithAWindowStaysWhenTheNewestLostItsWal() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(pg.cluster().archiveDir());
        BackupService service = new BackupService(LocalDirectoryRepository.at(layout.root()), pg.cluster().pgContext());
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 10000) g");
        BackupRecord restorable = service.create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                ProgressListener.NONE, Cancellation.none()).backup();
        pg.cluster().sql("INSERT INTO t SELECT g FROM generate_series(1, 10000) g");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        BackupRecord newest = service.create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                ProgressListener.NONE, Cancellation.none()).backup();
        pg.cluster().sql("INSERT INTO t SELECT g FROM generate_series(1, 10) g");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));

        // the newest backup's start segment is lost from the archive, so it has no recovery window
        WalSegmentName lost = WalSegmentName.containing(newest.timeline(), newest.startLsn(), newest.walSegmentSize());
        Path moved = layout.root().resolve(lost + ".lost");
        Files.move(layout.walArchive().resolve(lost.toString()), moved);
        // taken seconds apart they share a day; moving the older one back two days (backup.json
        // only) puts it outside a policy that keeps one daily backup
        Path file = layout.backupJson(restorable.id());
        ObjectNode n = (ObjectNode) Json.mapper().readTree(file.toFile());
        n.put("startTime", Instant.parse(n.get("startTime").asText()).minus(Duration.ofDays(2)).toString());
        n.put("stopTime", Instant.parse(n.get("stopTime").asText()).minus(Duration.ofDays(2)).toString());
        Files.write(file, Json.mapper().writeValueAsBytes(n));
        Files.writeString(layout.scheduleFile(), "{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": 1, \"weekly\": 0, \"monthly\": 0}, \"max_total_size_gb\": 100, \"alert_after_hours\": 24}");

        CleanupPlan plan = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneId.of("UTC")).run();

        assertThat(plan.backups()).isEmpty();
        assertThat(plan.kept().get(restorable.id())).containsExactly("newest with a recovery window");
        assertThat(layout.backupDir(restorable.id())).isDirectory();
        WalSegmentName start = WalSegmentName.containing(restorable.timeline(), restorable.startLsn(), restorable.walSegmentSize());
        assertThat(layout.walArchive().resolve(start.toString())).isRegularFile();
        assertThat(plan.wal()).allSatisfy(w -> assertThat(w.name().substring(0, 24)).isLessThan(start.toString()));
    }
}
