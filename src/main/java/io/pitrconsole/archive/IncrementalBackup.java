package io.pitrconsole.archive;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A backup taken with pg_basebackup --incremental (PostgreSQL 17 on). It holds only the blocks
 * changed since an earlier backup, in files named INCREMENTAL.&lt;relfile&gt; (listed so in its
 * manifest), and its backup_label names that earlier backup's start ("INCREMENTAL FROM LSN",
 * "INCREMENTAL FROM TLI"). Extracted as it is, it is no data directory: the server refuses it
 * ("this is an incremental backup, not a data directory"). Only pg_combinebackup turns it, with
 * the backups it is based on, into a full backup that can be restored.
 *
 * @param fromLsn      the start of the backup it is based on, when the label says so
 * @param fromTimeline that backup's timeline, when the label says so
 * @param evidence     what marks it, in words: the label line or an INCREMENTAL file
 */
public record IncrementalBackup(Optional<Lsn> fromLsn, Optional<Integer> fromTimeline, String evidence) {
    /** The prefix pg_basebackup gives the file of a relation it sent incrementally. */
    public static final String FILE_PREFIX = "INCREMENTAL.";
    /** What to do with one; the same words everywhere one is refused. */
    public static final String HINT = "combine it with the backups it is based on into a full backup first: pg_combinebackup"
            + " of PostgreSQL 17 or later (-o <new directory> <full backup> ... <this backup>, each extracted), or take a full"
            + " backup with 'backup create'";
    /** {@link #HINT} in the console's words. */
    private static final Hint WORDED = Hint.of(HINT, "combine it with the backups it is based on into a full backup first: pg_combinebackup"
            + " of PostgreSQL 17 or later (-o <new directory> <full backup> ... <this backup>, each extracted), or take a full"
            + " backup with Back up now on the Dashboard");

    /** Reads the marks of an incremental backup in a backup_label; empty for a full backup. */
    public static Optional<IncrementalBackup> of(BackupLabel label) {
        Optional<Lsn> from = label.incrementalFromLsn();
        Optional<Integer> tli = label.incrementalFromTimeline();
        if (from.isEmpty() && tli.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IncrementalBackup(from, tli, "its backup_label says INCREMENTAL FROM LSN "
                + from.map(Lsn::toString).orElse("?") + tli.map(t -> " on timeline " + t).orElse("")));
    }

    /** The first file a manifest lists as sent incrementally, as an incremental backup; empty when there is none. */
    public static Optional<IncrementalBackup> of(BackupManifest manifest) {
        return manifest.files().keySet().stream().filter(IncrementalBackup::isIncrementalFile).findFirst()
                .map(p -> new IncrementalBackup(Optional.empty(), Optional.empty(), "its manifest lists " + p
                        + ", a relation file sent incrementally"));
    }

    /** True for the path of a file pg_basebackup sent incrementally (INCREMENTAL.16384, say). */
    public static boolean isIncrementalFile(String path) {
        int slash = path.lastIndexOf('/');
        return path.startsWith(FILE_PREFIX, slash + 1);
    }

    /**
     * Whether a backup is incremental, as cheaply as can be told: from its .backup history file in
     * the WAL archive (a few hundred bytes the server wrote from the same state as the label), else
     * from the backup_label at the head of its base tar, where pg_basebackup puts it first, so only
     * the first entries are read. A backup whose files cannot be read is left to the checks that
     * need them (verify, and the manifest check before extraction).
     */
    public static Optional<IncrementalBackup> inBackup(Repository repository, BackupRecord record) {
        Optional<BackupLabel> history = historyFile(record, repository.wal());
        if (history.isPresent()) {
            return of(history.get());
        }
        BackupStore store = repository.backups();
        Optional<String> base = baseTar(store, record);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        // backup_label and tablespace_map come first: the first MiB as stored holds them, compressed or not
        try (TarArchiveInputStream tar = TarStreams.openTarHead(base.get(), store.openHead(record.id(), base.get(), 1 << 20))) {
            // backup_label, then tablespace_map when there are tablespaces, then the data
            for (int i = 0; i < 2; i++) {
                TarArchiveEntry e = tar.getNextEntry();
                if (e == null) {
                    return Optional.empty();
                }
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.equals("backup_label")) {
                    return of(BackupLabel.parse(new String(tar.readNBytes(64 * 1024), StandardCharsets.UTF_8), Optional.empty()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a damaged tar is for 'backup verify' and the restore's own checks to report
        }
        return Optional.empty();
    }

    private static Optional<BackupLabel> historyFile(BackupRecord r, WalStore walArchive) {
        if (r.startLsn() == null || r.timeline() == null || r.walSegmentSize() == null || r.walSegmentSize() <= 0) {
            return Optional.empty();
        }
        String name = WalSegmentName.containing(r.timeline(), r.startLsn(), r.walSegmentSize()) + "."
                + String.format("%08X", Long.remainderUnsigned(r.startLsn().value(), r.walSegmentSize())) + ".backup";
        for (String suffix : new String[] {"", ".gz", ".zst"}) {
            try (InputStream in = TarStreams.decompressing(name + suffix, walArchive.open(name + suffix))) {
                BackupLabel label = BackupLabel.parse(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8), Optional.empty());
                // a .backup file of another backup that started at the same place cannot be, but be sure
                if (label.startLsn().filter(r.startLsn()::equals).isPresent()) {
                    return Optional.of(label);
                }
            } catch (IOException | RuntimeException e) {
                // not there under this name, or unreadable: the tar's own label decides
            }
        }
        return Optional.empty();
    }

    private static Optional<String> baseTar(BackupStore store, BackupRecord record) {
        List<String> files;
        try {
            files = store.files(record.id());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (record.compression() != null && files.contains("base" + record.compression().tarSuffix())) {
            return Optional.of("base" + record.compression().tarSuffix());
        }
        for (Compression c : Compression.values()) {
            if (files.contains("base" + c.tarSuffix())) {
                return Optional.of("base" + c.tarSuffix());
            }
        }
        return Optional.empty();
    }

    /** What the catalog shows beside the status. */
    public String describe() {
        return "taken with pg_basebackup --incremental: it holds only the blocks changed since " + fromLsn.map(l -> "the backup that started at "
                + l + fromTimeline.map(t -> " on timeline " + t).orElse("")).orElse("an earlier backup");
    }

    /** The refusal to restore or verify it as it is. */
    public PitrException refusal(String backupId) {
        return new PitrException("backup " + backupId + " is an incremental backup (" + evidence + "): it holds only the blocks"
                + " changed since an earlier backup and cannot be restored by extracting it", WORDED);
    }

    /** The words for a backup that the catalog already knows to be incremental. */
    public static PitrException refusal(BackupRecord record) {
        return new PitrException("backup " + record.id() + " is an incremental backup (" + (record.error() == null
                ? "taken with pg_basebackup --incremental" : record.error()) + "), which cannot be restored by extracting it", WORDED);
    }

    /** Why windows list it as not restorable. */
    public static final String UNRESTORABLE = "it is an incremental backup (pg_basebackup --incremental of PostgreSQL 17 or later):"
            + " it cannot be restored on its own; " + HINT;
}
