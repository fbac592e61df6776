package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.LockUse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who excludes whom within one process, and what the previous version's lock file still means. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchiveLockTest {
    @TempDir
    Path root;

    private ArchiveLayout layout() {
        return new ArchiveLayout(root);
    }

    @Test
    void restoresRunAlongsideABackupAndEachOtherButNotAlongsideARemoval() {
        try (ArchiveLock backup = ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create");
             ArchiveLock one = ArchiveLock.acquire(layout(), LockUse.RESTORE, "restore");
             ArchiveLock two = ArchiveLock.acquire(layout(), LockUse.RESTORE, "restore")) {
            assertThat(ArchiveLock.holders(layout())).extracting(LockHolder::use)
                    .containsExactlyInAnyOrder(LockUse.BACKUP, LockUse.RESTORE, LockUse.RESTORE);
            assertThatThrownBy(() -> ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create"))
                    .isInstanceOf(PitrException.class).hasMessageStartingWith("the archive is busy: backup create by process");
            for (LockUse removal : new LockUse[] {LockUse.CLEANUP, LockUse.DELETE}) {
                assertThatThrownBy(() -> ArchiveLock.acquire(layout(), removal, removal.label()))
                        .isInstanceOf(PitrException.class).hasMessageContaining("the archive is busy:");
            }
            backup.close();
            assertThatThrownBy(() -> ArchiveLock.acquire(layout(), LockUse.CLEANUP, "cleanup"))
                    .isInstanceOf(PitrException.class).hasMessageContaining("the archive is busy: restore")
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("wait for the restore to finish"));
        }
        assertThat(ArchiveLock.holders(layout())).isEmpty();
        try (ArchiveLock cleanup = ArchiveLock.acquire(layout(), LockUse.CLEANUP, "cleanup")) {
            for (LockUse other : LockUse.values()) {
                assertThatThrownBy(() -> ArchiveLock.acquire(layout(), other, other.label()))
                        .isInstanceOf(PitrException.class).hasMessageContaining("the archive is busy: cleanup");
            }
            assertThatThrownBy(() -> ArchiveLock.acquire(layout(), LockUse.RESTORE, "restore"))
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("wait for the cleanup to finish"));
        }
        assertThat(layout().lockDir()).isEmptyDirectory();
    }

    @Test
    void thePreviousVersionsLockOfADeadProcessIsRemovedAndReported() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        legacyLock(dead.pid(), Instant.parse("2026-01-01T00:00:00Z"), "cleanup");

        try (ArchiveLock lock = ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create")) {
            assertThat(lock.staleLocksRemoved()).extracting(LockHolder::pid).containsExactly(dead.pid());
        }
        assertThat(layout().lockFile()).doesNotExist();
    }

    @Test
    void thePreviousVersionsLockOfALiveProcessIsHonouredUnlessThePidWasReused() throws Exception {
        Process older = new ProcessBuilder("sleep", "60").start();
        try {
            Instant started = older.info().startInstant().orElseThrow();
            legacyLock(older.pid(), started.plusSeconds(1), "backup create");
            assertThat(ArchiveLock.holders(layout())).extracting(LockHolder::pid).containsExactly(older.pid());
            assertThatThrownBy(() -> ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create"))
                    .isInstanceOf(PitrException.class).hasMessageContaining("backup create by process " + older.pid())
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("remove " + layout().lockFile()));
            try (ArchiveLock restore = ArchiveLock.acquire(layout(), LockUse.RESTORE, "restore")) {
                assertThat(restore.staleLocksRemoved()).as("a restore runs alongside an older version's backup").isEmpty();
            }

            // the same pid, but the lock was taken before this process started: someone else's, long gone
            legacyLock(older.pid(), started.minusSeconds(3600), "backup create");
            try (ArchiveLock lock = ArchiveLock.acquire(layout(), LockUse.BACKUP, "backup create")) {
                assertThat(lock.staleLocksRemoved()).extracting(LockHolder::pid).containsExactly(older.pid());
            }
        } finally {
            older.destroyForcibly();
        }
    }

    private void legacyLock(long pid, Instant since, String operation) throws Exception {
        Files.createDirectories(layout().stateDir());
        Files.writeString(layout().lockFile(), "{\"pid\":" + pid + ",\"host\":\"" + InetAddress.getLocalHost().getHostName()
                + "\",\"operation\":\"" + operation + "\",\"since\":\"" + since + "\"}");
    }
}
