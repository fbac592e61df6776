package io.pitrconsole.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handing files to the server's OS user, on real files, as root for the real postgres user. */
class ServerUserFilesTest {
    private static final OsUser POSTGRES = new OsUser("postgres");

    @TempDir
    Path tmp;

    private final ServerUserFiles files = new ServerUserFiles(POSTGRES);

    @BeforeEach
    void asRoot() {
        assumeTrue(OsUser.currentIsRoot(), "changing owners needs root");
    }

    private static String owner(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner().getName();
    }

    private static String group(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName();
    }

    @Test
    void aTreeIsHandedOverWholeButALinkOutOfItNeverTakesItsTargetAlong() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("data/base/1"));
        Files.writeString(root.resolve("1259"), "x");
        Path outside = Files.writeString(tmp.resolve("outside.conf"), "root's");
        Path outsideDir = Files.createDirectories(tmp.resolve("outside-dir"));
        Files.createSymbolicLink(tmp.resolve("data/link-to-file"), outside);
        Files.createSymbolicLink(tmp.resolve("data/link-to-dir"), outsideDir);

        files.giveTree(tmp.resolve("data"));

        assertThat(owner(tmp.resolve("data"))).isEqualTo("postgres");
        assertThat(owner(tmp.resolve("data/base"))).isEqualTo("postgres");
        assertThat(owner(root)).isEqualTo("postgres");
        assertThat(owner(root.resolve("1259"))).isEqualTo("postgres");
        assertThat(owner(tmp.resolve("data/link-to-file"))).isEqualTo("postgres");
        assertThat(owner(outside)).isEqualTo("root");
        assertThat(owner(outsideDir)).isEqualTo("root");
        assertThat(owner(tmp)).isEqualTo("root");
    }

    /**
     * A rehearsal hands its sandbox to the server user while WAL copies are still being staged in
     * it (written under a temporary name, renamed, taken by restore_command): a file or directory
     * that goes during the walk is no failure. Before, the walk's NoSuchFileException failed the restore.
     */
    @Test
    void filesThatGoWhileTheTreeIsHandedOverAreNoFailure() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("sandbox/wal-ahead"));
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 300; i++) {
                Files.writeString(root.resolve(".seg" + i + ".part"), "x");
            }
            Path sub = Files.createDirectories(root.resolve("gone-dir/inner"));
            Files.writeString(sub.resolve("f"), "x");
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread stager = new Thread(() -> {
                go.countDown();
                try {
                    for (int i = 299; i >= 0; i--) {
                        Files.move(root.resolve(".seg" + i + ".part"), root.resolve("seg" + i));
                        Files.delete(root.resolve("seg" + i));
                    }
                    io.pitrconsole.core.FileTrees.deleteRecursively(root.resolve("gone-dir"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            stager.start();
            go.await();
            files.giveTree(tmp.resolve("sandbox"));
            stager.join(10_000);
            assertThat(owner(root)).isEqualTo("postgres");
        }
    }

    @Test
    void oneDirectoryIsHandedOverWithoutItsContents() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("wal_archive"));
        Path inside = Files.writeString(dir.resolve("000000010000000000000001"), "x");

        files.giveOne(dir);

        assertThat(owner(dir)).isEqualTo("postgres");
        assertThat(owner(inside)).isEqualTo("root");
    }

    @Test
    void aRestoredDirectoryTakesOwnerAndGroupOfTheOneItReplaces() throws IOException {
        Path old = Files.createDirectories(tmp.resolve("old"));
        new ServerUserFiles(POSTGRES).giveOne(old);
        Files.getFileAttributeView(old, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(
                old.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("postgres"));
        Path restored = Files.createDirectories(tmp.resolve("restored/global"));
        Files.writeString(restored.resolve("pg_control"), "x");

        files.giveLike(tmp.resolve("restored"), old, true);

        for (Path p : new Path[] {tmp.resolve("restored"), restored, restored.resolve("pg_control")}) {
            assertThat(owner(p)).isEqualTo("postgres");
            assertThat(group(p)).isEqualTo("postgres");
        }
    }

    @Test
    void nothingChangesWhenTheServerUserIsRootItself() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        new ServerUserFiles(new OsUser("root")).giveTree(dir);
        assertThat(owner(dir)).isEqualTo("root");
    }

    @Test
    void anUnknownUserIsAnErrorWithAHint() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        assertThatThrownBy(() -> new ServerUserFiles(new OsUser("no-such-user-here")).giveTree(dir))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("OS user no-such-user-here does not exist")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("--os-user"));
        assertThat(owner(dir)).isEqualTo("root");
    }
}
