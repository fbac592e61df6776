package io.pitrconsole.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void replacesContentAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("backup.json");
        AtomicFiles.write(f, "old".getBytes());
        AtomicFiles.write(f, "new".getBytes());
        assertThat(Files.readString(f)).isEqualTo("new");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("backup.json");
        }
    }

    @Test
    void theTempFilesOfAKilledWriterAreRemovedAndNothingElse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path target = dir.resolve("restore_1.json");
        java.nio.file.Files.writeString(target, "{}");
        java.nio.file.Path left = java.nio.file.Files.writeString(dir.resolve(".restore_1.json.123456.tmp"), "{");
        java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve(".restore_2.json.99.tmp"), "{");
        AtomicFiles.removeAbandonedTemps(target);
        org.assertj.core.api.Assertions.assertThat(left).doesNotExist();
        org.assertj.core.api.Assertions.assertThat(other).exists();
        org.assertj.core.api.Assertions.assertThat(target).hasContent("{}");
    }
}
