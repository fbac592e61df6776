package io.pitrconsole.archive;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks a tar-format base backup against its backup_manifest by streaming through each
 * (compressed) tar, never extracting to disk: every file's size and checksum, the manifest's own
 * checksum, and that the WAL the backup needs is present (in pg_wal.tar or the WAL archive).
 * pg_verifybackup in PostgreSQL 15 cannot read tar backups, hence this.
 */
public final class BackupVerifier {
    private static final int BUF = 1 << 17;

    /** Verifies a backup of the store; walArchive may not exist. */
    public VerifyReport verify(BackupStore store, String backupId, WalStore walArchive, long segmentSize,
                               ProgressListener progress, Cancellation cancellation) {
        return verify(store, backupId, walArchive, segmentSize, Optional.empty(), progress, cancellation);
    }

    /**
     * Like the other, and a manifest that names a system identifier (version 2, PostgreSQL 17 on)
     * must name {@code systemIdentifier}, the cluster the catalog says the backup is of.
     */
    public VerifyReport verify(BackupStore store, String backupId, WalStore walArchive, long segmentSize, Optional<String> systemIdentifier,
                               ProgressListener progress, Cancellation cancellation) {
        long started = System.nanoTime();
        List<VerifyProblem> problems = new ArrayList<>();
        List<String> names;
        try {
            names = store.files(backupId);
        } catch (IOException e) {
            throw new PitrException("cannot list " + store.where(backupId) + ": " + e.getMessage(), "check permissions of the backup directory");
        }
        if (!names.contains("backup_manifest")) {
            problems.add(new VerifyProblem("backup_manifest", "missing", "the backup has no manifest, so nothing can be checked"));
            return new VerifyReport(backupId, false, 0, 0, 0, seconds(started), problems);
        }
        BackupManifest manifest;
        try {
            manifest = BackupManifest.read(store, backupId);
        } catch (PitrException e) {
            problems.add(new VerifyProblem("backup_manifest", "manifest", e.getMessage()));
            return new VerifyReport(backupId, false, 0, 0, 0, seconds(started), problems);
        }
        if (!manifest.checksumValid()) {
            problems.add(new VerifyProblem("backup_manifest", "manifest", manifest.checksumProblem()));
        }
        IncrementalBackup.of(manifest).ifPresent(i -> problems.add(new VerifyProblem("backup_manifest", "incremental",
                "an incremental backup: " + i.evidence() + "; it cannot be restored by extracting it - " + IncrementalBackup.HINT)));
        if (manifest.systemIdentifier().isPresent() && systemIdentifier.isPresent()
                && !manifest.systemIdentifier().get().equals(systemIdentifier.get())) {
            problems.add(new VerifyProblem("backup_manifest", "system", "the manifest's System-Identifier "
                    + manifest.systemIdentifier().get() + " is not the backup's cluster (" + systemIdentifier.get() + ")"));
        }

        List<TarPart> parts = tarParts(names, store.where(backupId), manifest, problems);
        long total = manifest.totalSize();
        Counters counters = new Counters();
        Set<String> seen = new HashSet<>();
        Set<String> walInTar = new HashSet<>();
        Set<String> damagedPrefixes = new HashSet<>();
        byte[] buf = new byte[BUF];
        for (TarPart part : parts) {
            cancellation.throwIfCancelled("verify");
            String current = "(start of archive)";
            try (TarArchiveInputStream tar = openTar(store, backupId, part.name())) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    cancellation.throwIfCancelled("verify");
                    current = entry.getName();
                    if (!entry.isFile()) {
                        continue;
                    }
                    String name = stripDotSlash(entry.getName());
                    if (part.isWal()) {
                        walInTar.add(Path.of(name).getFileName().toString());
                        drain(tar, buf);
                        continue;
                    }
                    String path = part.prefix() + name;
                    BackupManifest.FileEntry expected = manifest.files().get(path);
                    if (expected == null) {
                        problems.add(new VerifyProblem(path, "unexpected", "in " + part.name() + " but not in the manifest"));
                        drain(tar, buf);
                        continue;
                    }
                    seen.add(path);
                    FileChecksum sum = FileChecksum.forAlgorithm(expected.checksumAlgorithm());
                    long size = 0;
                    int n;
                    while ((n = tar.read(buf)) > 0) {
                        sum.update(buf, 0, n);
                        size += n;
                    }
                    counters.files++;
                    counters.bytes += size;
                    progress.progress(counters.bytes, total, path);
                    if (size != expected.size()) {
                        problems.add(new VerifyProblem(path, "size", "is " + size + " bytes, the manifest says " + expected.size()));
                    } else if (!sum.hex().equalsIgnoreCase(expected.checksum())) {
                        problems.add(new VerifyProblem(path, "checksum", expected.checksumAlgorithm() + " is " + sum.hex()
                                + ", the manifest says " + expected.checksum() + " (in " + part.name() + ")"));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof Cancellation.CancelledException ce) {
                    throw ce;
                }
                problems.add(new VerifyProblem(part.name(), "damaged",
                        "cannot read past " + current + ": " + describe(e)));
                damagedPrefixes.add(part.prefix());
            }
            try {
                counters.compressed += store.size(backupId, part.name());
            } catch (IOException ignored) {
                // size is for the throughput figure only
            }
        }

        int notChecked = 0;
        for (String path : manifest.files().keySet()) {
            if (seen.contains(path)) {
                continue;
            }
            boolean inDamagedTar = damagedPrefixes.stream().anyMatch(p -> p.isEmpty() ? !path.startsWith("pg_tblspc/") : path.startsWith(p));
            if (inDamagedTar) {
                notChecked++;
            } else {
                problems.add(new VerifyProblem(path, "missing", "listed in the manifest but not in the backup"));
            }
        }
        if (notChecked > 0) {
            problems.add(new VerifyProblem("(" + notChecked + " files)", "damaged", "not checked because the tar holding them is damaged"));
        }
        checkWal(manifest, walInTar, walArchive, segmentSize, problems);
        return new VerifyReport(backupId, problems.isEmpty(), counters.files, counters.bytes, counters.compressed,
                seconds(started), problems);
    }

    /** As {@link TarStreams#openTar(Path)} says it when a tar cannot be opened. */
    private static TarArchiveInputStream openTar(BackupStore store, String backupId, String name) {
        try {
            return TarStreams.openTar(name, store.open(backupId, name));
        } catch (IOException e) {
            throw new PitrException("cannot open " + store.where(backupId) + "/" + name + ": " + e.getMessage(),
                    "the file is damaged or not a " + Compression.ofTarFile(name).orElse(Compression.NONE) + " tar");
        }
    }

    private record TarPart(String name, String prefix, boolean isWal) {
    }

    private static final class Counters {
        int files;
        long bytes;
        long compressed;
    }

    private static List<TarPart> tarParts(List<String> names, String dir, BackupManifest manifest, List<VerifyProblem> problems) {
        List<TarPart> parts = new ArrayList<>();
        Set<String> tablespaceOids = new HashSet<>();
        for (String path : manifest.files().keySet()) {
            if (path.startsWith("pg_tblspc/")) {
                String rest = path.substring("pg_tblspc/".length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    tablespaceOids.add(rest.substring(0, slash));
                }
            }
        }
        boolean foundBase = false;
        Set<String> foundTablespaces = new HashSet<>();
        for (String name : names) {
            if (Compression.ofTarFile(name).isEmpty()) {
                continue;
            }
            String stem = name.substring(0, name.indexOf(".tar"));
            if (stem.equals("base")) {
                parts.add(new TarPart(name, "", false));
                foundBase = true;
            } else if (stem.equals("pg_wal")) {
                parts.add(new TarPart(name, "", true));
            } else if (stem.matches("\\d+")) {
                parts.add(new TarPart(name, "pg_tblspc/" + stem + "/", false));
                foundTablespaces.add(stem);
            }
        }
        if (!foundBase) {
            problems.add(new VerifyProblem("base.tar", "missing", "the backup's main tar file is not in " + dir));
        }
        for (String oid : tablespaceOids) {
            if (!foundTablespaces.contains(oid)) {
                problems.add(new VerifyProblem(oid + ".tar", "missing", "the tar of tablespace " + oid + " is not in " + dir));
            }
        }
        return parts;
    }

    private static void checkWal(BackupManifest manifest, Set<String> walInTar, WalStore walArchive, long segmentSize,
                                 List<VerifyProblem> problems) {
        Set<String> archived = null;
        for (BackupManifest.WalRange range : manifest.walRanges()) {
            Lsn lastByte = range.end().compareTo(range.start()) > 0 ? new Lsn(range.end().value() - 1) : range.end();
            WalSegmentName seg = WalSegmentName.containing(range.timeline(), range.start(), segmentSize);
            WalSegmentName last = WalSegmentName.containing(range.timeline(), lastByte, segmentSize);
            for (; seg.compareTo(last) <= 0; seg = seg.next()) {
                String name = seg.toString();
                if (walInTar.contains(name)) {
                    continue;
                }
                if (archived == null) {
                    archived = archivedNames(walArchive);
                }
                if (!inArchive(archived, name)) {
                    problems.add(new VerifyProblem(name, "wal", "WAL segment needed by the backup (" + range.start() + " to "
                            + range.end() + ") is neither in pg_wal.tar nor in the WAL archive"));
                }
            }
        }
    }

    /** The names in the WAL archive, listed once; none when there is no archive to look in. */
    private static Set<String> archivedNames(WalStore walArchive) {
        if (walArchive == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        walArchive.list().forEach(f -> names.add(f.name()));
        return names;
    }

    private static boolean inArchive(Set<String> archived, String segment) {
        for (String suffix : List.of("", ".gz", ".zst", ".lz4", ".partial")) {
            if (archived.contains(segment + suffix)) {
                return true;
            }
        }
        return false;
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        while (in.read(buf) > 0) {
            // skip content but still read it, so damage shows up
        }
    }

    private static String stripDotSlash(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException || (m != null && m.toLowerCase().contains("truncated"))) {
            return "the file ends early (truncated)";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
