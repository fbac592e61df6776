package io.pitrconsole.repository.pgbackrest;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupPlacement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pgBackRest set placed with pgBackRest's own restore: 'pgbackrest restore --set=LABEL
 * --type=none --pg1-path=DIR --tablespace-map-all=DIR'. --type=none writes no recovery settings
 * (pgBackRest only comments out recovery targets left in the set's postgresql.auto.conf), so they
 * stay the console's: its restore writes them for every kind, from one plan. Not --type=preserve:
 * that keeps the destination's postgresql.auto.conf instead of the set's, and a new directory has
 * none, so the server's ALTER SYSTEM settings, archive_command among them, would be lost.
 * Every tablespace goes under the given directory, so a rehearsal never writes where the
 * backed-up server keeps its tablespaces.
 *
 * <p>In place it restores the same way: the console has already set the old data directory aside
 * and made a new empty one, so pgBackRest fills that as it would a sandbox and the old directory
 * stays whole for a rollback. pgBackRest's --delta is never used: it rewrites the live directory
 * where it stands, and after it nothing is left to roll back to.
 */
final class PgBackRestRestore implements BackupPlacement {
    private final PgBackRestCommands commands;

    PgBackRestRestore(PgBackRestCommands commands) {
        this.commands = commands;
    }

    @Override
    public Placed place(String backupId, Path dataDir, Path tablespaceRoot, Consumer<String> log, Cancellation cancel) {
        if (!Files.isDirectory(dataDir)) {
            throw new PitrException(dataDir + " is not a directory to restore into", "restore into a new, empty directory");
        }
        commands.run(List.of("restore", "--set=" + backupId, "--type=none", "--pg1-path=" + dataDir,
                "--tablespace-map-all=" + tablespaceRoot, "--log-level-console=info"), cancel, log);
        long[] counted = count(dataDir);
        if (Files.isDirectory(tablespaceRoot)) {
            long[] more = count(tablespaceRoot);
            counted[0] += more[0];
            counted[1] += more[1];
        }
        return new Placed(counted[0], counted[1], "pgbackrest restore --set=" + backupId);
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    private static long[] count(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            long[] n = new long[2];
            all.filter(Files::isRegularFile).forEach(f -> {
                n[0]++;
                try {
                    n[1] += Files.size(f);
                } catch (IOException e) {
                    // gone meanwhile: not counted
                }
            });
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
