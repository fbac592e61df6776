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
}
