package io.pitrconsole.archive;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads backup_label and tablespace_map from the start of base.tar. The server sends these two
 * first, so only the first entries are decompressed.
 */
public final class BackupContents {
    private BackupContents() {
    }

    /** What the server put at the start of base.tar. */
    public record Head(BackupLabel label, List<Tablespace> tablespaces) {
    }

    public static Head readHead(BackupStore store, String backupId, String baseTar, Optional<ZoneId> serverZone) {
        String where = store.where(backupId) + "/" + baseTar;
        String label = null;
        List<Tablespace> tablespaces = new ArrayList<>();
        try (TarArchiveInputStream tar = TarStreams.openTar(baseTar, store.open(backupId, baseTar))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.equals("backup_label")) {
                    label = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                } else if (name.equals("tablespace_map")) {
                    for (String line : new String(tar.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        int space = line.indexOf(' ');
                        if (space > 0) {
                            tablespaces.add(new Tablespace(line.substring(0, space), line.substring(space + 1)));
                        }
                    }
                } else if (label != null) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new PitrException("cannot read " + where + ": " + e.getMessage(), Hint.of("the backup is damaged; run 'backup verify'",
                    "the backup is damaged; select it on the Backups page and click Verify"));
        }
        if (label == null) {
            throw new PitrException(where + " has no backup_label", "this is not a base backup taken by pg_basebackup");
        }
        return new Head(BackupLabel.parse(label, serverZone), tablespaces);
    }
}
