package io.pitrconsole.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    /**
     * What an interrupted restore does: it removes its directory of staged WAL while the server's
     * restore_command still moves copies out of it. A file gone before the walk reaches it is
     * already removed, not a failure that leaves the directory behind.
     */
    @Test
    void filesMovedOutDuringTheDeleteDoNotStopIt() throws Exception {
        Path taken = Files.createDirectories(tmp.resolve("pg_wal"));
        for (int round = 0; round < 20; round++) {
            Path dir = Files.createDirectories(tmp.resolve("data.pitr-wal-ahead"));
            for (int i = 0; i < 300; i++) {
                Files.writeString(dir.resolve(String.format("%024X", i)), "x");
            }
            Files.writeString(Files.createDirectories(dir.resolve("gone-dir/inner")).resolve("f"), "x");
            CountDownLatch go = new CountDownLatch(1);
            Thread restoreCommand = new Thread(() -> {
                go.countDown();
                try {
                    for (int i = 299; i >= 0; i--) {
                        String name = String.format("%024X", i);
                        if (Files.exists(dir.resolve(name))) {
                            Files.move(dir.resolve(name), taken.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    FileTrees.deleteRecursively(dir.resolve("gone-dir"));
                } catch (IOException e) {
                    // the delete got there first: what the real restore_command's mv meets too
                }
            });
            restoreCommand.start();
            go.await();
            FileTrees.deleteRecursively(dir);
            restoreCommand.join(10_000);
            assertThat(dir).as("round %d", round).doesNotExist();
        }
    }

    @Test
    void aTreeThatIsNotThereIsNothingToDo() throws Exception {
        FileTrees.deleteRecursively(tmp.resolve("absent"));
        assertThat(tmp.resolve("absent")).doesNotExist();
    }
}
