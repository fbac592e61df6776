package io.pitrconsole.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Json;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.repository.local.ArchiveLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files of killed writers: the real archive_command script killed with SIGKILL, and stale atomic-write files. */
class LeftoverTempFilesTest {
    private static final int KILLS = 6;

    @TempDir
    Path tmp;

    private List<Path> scriptTemps(ArchiveLayout layout) throws Exception {
        try (Stream<Path> s = Files.list(layout.walArchive())) {
            return s.filter(p -> p.getFileName().toString().matches("\\..*\\.tmp\\.\\d+")).toList();
        }
    }

    @Test
    @Timeout(180)
    void tempFilesOfKilledWritersAreReportedByWalStatusAndHealthAndRemovedByCleanup() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.walArchive());
        Path script = installScript(layout, Compression.NONE);
        // a sync that hangs holds the script right after its temporary file is complete, where a kill leaves it behind
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path slowSync = Files.writeString(bin.resolve("sync"), "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(slowSync, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] segment = new byte[1 << 20];
        for (int i = 0; i < KILLS; i++) {
            String name = String.format("0000000100000000%08X", 0x20 + i);
            new Random(i).nextBytes(segment);
            Path src = Files.write(Files.createDirectories(tmp.resolve("pg_wal")).resolve(name), segment);
            ProcessBuilder pb = new ProcessBuilder(script.toString(), src.toString(), name).redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            Process p = pb.start();
            Path temp = layout.walArchive().resolve("." + name + ".tmp." + p.pid());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.exists(temp) && Files.size(temp) == segment.length && p.descendants().findAny().isPresent())) {
                assertThat(System.nanoTime()).as("the script reaches its fsync").isLessThan(deadline);
                Thread.onSpinWait();
            }
            // the script first, or it would see its sync die and remove the file itself
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly().waitFor();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(scriptTemps(layout)).hasSize(KILLS);
        // one of this tool's own atomic-write files, left an hour ago, and one being written right now
        Files.createDirectories(layout.stateDir());
        Path stale = Files.writeString(layout.root().resolve(".backup_metadata.json.12345.tmp"), "[");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.writeString(layout.stateDir().resolve(".wal-index.bin.777.tmp"), "x");
        Path archived = Files.write(layout.walArchive().resolve("000000010000000000000001"), segment);

        var status = CliRunner.run(Map.of(), "wal", "status", "--json", "--archive", layout.root().toString());
        // the archived "segment" is random bytes: wal status calls it damaged with its critical exit code,
        // and lists the leftovers all the same
        assertThat(status.exit()).as(status.err()).isEqualTo(2);
        assertThat(status.err()).contains("damaged WAL segment, first " + archived.getFileName());
        JsonNode left = Json.mapper().readTree(status.out()).get("leftoverTempFiles");
        assertThat(left).hasSize(KILLS + 1);
        assertThat(left.toString()).contains(stale.getFileName().toString()).doesNotContain(fresh.getFileName().toString());
        var text = CliRunner.run(Map.of(), "wal", "status", "--archive", layout.root().toString());
        assertThat(text.out()).contains("leftover temporary files: " + (KILLS + 1));

        var health = CliRunner.run(Map.of(), "health", "--no-server", "--json", "--archive", layout.root().toString());
        JsonNode check = null;
        for (JsonNode c : Json.mapper().readTree(health.out()).get("checks")) {
            if (c.get("check").asText().equals("leftover files")) {
                check = c;
            }
        }
        assertThat(check).as(health.out()).isNotNull();
        assertThat(check.toString()).contains("warning").contains((KILLS + 1) + " temporary file(s)");

        var cleanup = CliRunner.run(Map.of(), "cleanup", "--yes", "--archive", layout.root().toString());
        assertThat(cleanup.exit()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).contains("removed leftover wal_archive/.");

        assertThat(scriptTemps(layout)).isEmpty();
        assertThat(stale).doesNotExist();
        assertThat(fresh).as("a live writer's file stays").exists();
        assertThat(archived).exists();
        assertThat(Files.readString(layout.stateDir().resolve("cleanup.log"))).contains("removing leftover");
    }

    /** Installs the archive's archive_command script as 'archiving apply' does; returns where it is. */
    private static Path installScript(ArchiveLayout layout, Compression compression) {
        var command = io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root()).wal().archiveCommand();
        command.install(compression.label());
        return command.script();
    }
}
