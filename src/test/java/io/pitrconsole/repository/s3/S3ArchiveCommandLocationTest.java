package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Where the archive_command script of a bucket goes: the repository's cache, unless root's cache is closed to the server's user. */
class S3ArchiveCommandLocationTest {
    @Test
    void inTheCacheWhenEveryFolderAboveItIsOpen() throws Exception {
        Path open = Files.createTempDirectory(Path.of("/var/tmp"), "s3-location-");
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path cache = open.resolve("pitr-console/s3/pitr-0123456789abcdef");
            assertThat(S3ArchiveCommand.location(cache, true)).isEqualTo(cache.resolve("bin/archive-wal"));
            assertThat(S3ArchiveCommand.location(cache, false)).isEqualTo(cache.resolve("bin/archive-wal"));
        } finally {
            FileTrees.deleteRecursively(open);
        }
    }

    @Test
    void asRootBehindAClosedFolderInTheSystemFolderUnderTheRepositorysOwnName() throws Exception {
        Path closed = Files.createTempDirectory(Path.of("/var/tmp"), "s3-location-");
        try {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
            Path cache = closed.resolve(".cache/pitr-console/s3/pitr-0123456789abcdef");
            assertThat(S3ArchiveCommand.location(cache, true))
                    .isEqualTo(Path.of("/var/lib/pitr-console/s3/pitr-0123456789abcdef/bin/archive-wal"));
            // another user cannot write there: its own cache it is, and 'archiving verify' says when the server cannot reach it
            assertThat(S3ArchiveCommand.location(cache, false)).isEqualTo(cache.resolve("bin/archive-wal"));
        } finally {
            FileTrees.deleteRecursively(closed);
        }
    }

    @Test
    void theFoldersMadeForTheScriptAreOpenToTheServersUserAndTheOnesThereAreLeftAlone() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "s3-location-");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
            Path script = base.resolve("pitr-console/s3/pitr-0123456789abcdef/bin/archive-wal");
            var bucket = new io.pitrconsole.repository.BucketLocation("pitr", "main", java.util.Optional.of(java.net.URI.create("http://127.0.0.1:9000")),
                    java.util.Optional.empty(), true);
            new S3ArchiveCommand(bucket, "us-east-1", script, java.util.Optional.empty()).install("none");
            assertThat(Files.getPosixFilePermissions(script)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path p = script.getParent(); !p.equals(base); p = p.getParent()) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            assertThat(Files.getPosixFilePermissions(base)).isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
        } finally {
            FileTrees.deleteRecursively(base);
        }
    }
}
