package io.pitrconsole.schedule;

import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archiving.ArchivedWalFile;
import io.pitrconsole.archiving.ArchiverCounters;
import io.pitrconsole.archiving.WalArchiveFiles;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.Timestamps;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgConnections;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.LeftoverFile;
import io.pitrconsole.repository.LockHolder;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import io.pitrconsole.wal.WalGaps;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Health of one archive and its server: newest backup age, last verification, archiver failures,
 * newest archived WAL (the RPO), WAL gaps and free space. Never throws for a bad finding: a
 * monitoring check must always get an answer.
 */
public final class HealthService {
    /** Newest archived WAL older than this is a warning (archive_timeout is 5 minutes by default). */
    static final Duration WAL_WARN_AFTER = Duration.ofHours(1);
    /** No verification for this long is a warning: a backup never read back is a hope, not a backup. */
    static final Duration VERIFY_WARN_AFTER = Duration.ofDays(7);

    private final Repository repository;
    private final Optional<ConnectionSettings> connection;
    private final Clock clock;

    /** @param connection the server whose pg_stat_archiver to read; empty to check the archive alone */
    public HealthService(Repository repository, Optional<ConnectionSettings> connection, Clock clock) {
        this.repository = repository;
        this.connection = connection;
        this.clock = clock;
    }

    /** Runs every check now. */
    public HealthReport check() {
        Instant now = clock.instant();
        List<Finding> checks = new ArrayList<>();
        Acc m = new Acc();
        try {
            repository.requireReadable();
        } catch (PitrException e) {
            // the repository's own words: a directory missing, a bucket's service unreachable or its credentials refused
            checks.add(Finding.fail("archive", e.getMessage(), Hint.of(e.hint(), e.consoleHint())));
            return report(now, checks, m);
        }
        checks.addAll(repository.ownStatus());
        double alertHours;
        try {
            alertHours = new ScheduleStore(repository).load().alertAfterHours();
        } catch (PitrException e) {
            checks.add(Finding.warn("schedule", e.getMessage(), e.hint()));
            alertHours = ScheduleConfig.defaults().alertAfterHours();
        }
        List<BackupRecord> records = List.of();
        try {
            records = new BackupCatalog(repository).records();
        } catch (PitrException e) {
            checks.add(Finding.fail("backups", e.getMessage(), e.hint()));
        }
        checks.add(backups(records, now, Duration.ofMinutes((long) (alertHours * 60)), m));
        checks.add(verification(records, now, m));
        checks.addAll(walChecks(records, () -> AbandonedTimelines.load(repository), now, Duration.ofMinutes((long) (alertHours * 60)), m));
        connection.ifPresent(c -> checks.addAll(server(c, now, m)));
        checks.add(freeSpace(m));
        checks.add(archiveLock());
        checks.add(leftovers(now));
        return report(now, checks, m);
    }

    /**
     * The WAL checks: newest archived WAL (the RPO), gaps, damage and recovery windows. The
     * abandoned timelines are read where the index is, so a file that cannot be read is a finding too.
     */
    List<Finding> walChecks(List<BackupRecord> records, Supplier<AbandonedTimelines> abandoned, Instant now, Duration critical,
                                Acc m) {
        long segmentSize = records.stream().map(BackupRecord::walSegmentSize).filter(s -> s != null && s > 0).findFirst()
                .orElse(WalSegmentName.DEFAULT_SEGMENT_SIZE);
        List<Finding> out = new ArrayList<>();
        WalArchiveFiles wal;
        try {
            wal = WalArchiveFiles.scan(repository.wal(), segmentSize);
        } catch (PitrException e) {
            out.add(Finding.fail("newest WAL", e.getMessage(), e.hint()));
            return out;
        }
        out.add(newestWal(wal, now, critical, m));
        out.addAll(walChain(records, wal, abandoned, m));
        return out;
    }

    /** Who works on the archive right now; a process that ended holds nothing, however it ended. */
    private Finding archiveLock() {
        try {
            List<LockHolder> holders = repository.holders();
            return Finding.pass("archive lock", holders.isEmpty() ? "free" : "held by " + holders.stream()
                    .map(h -> h.operation() + " (process " + h.pid() + " on " + h.host() + " since " + h.since() + ")")
                    .collect(java.util.stream.Collectors.joining("; ")));
        } catch (PitrException e) {
            return Finding.warn("archive lock", e.getMessage(), e.hint());
        }
    }

    private HealthReport report(Instant now, List<Finding> checks, Acc m) {
        HealthLevel worst = checks.stream().map(c -> HealthLevel.of(c.level())).reduce(HealthLevel.OK, HealthLevel::worst);
        return new HealthReport(worst, now, repository.location().toString(), checks, m.build());
    }

    private static Finding backups(List<BackupRecord> records, Instant now, Duration stale, Acc m) {
        Map<String, Long> byStatus = new TreeMap<>();
        for (BackupStatus s : BackupStatus.values()) {
            byStatus.put(s.label(), records.stream().filter(r -> r.status() == s).count());
        }
        m.backupsByStatus = byStatus;
        m.backupsBytes = records.stream().mapToLong(BackupRecord::sizeBytes).sum();
        Optional<BackupRecord> newest = records.stream().filter(r -> r.status().usable() && r.stopTime() != null)
                .max(Comparator.comparing(BackupRecord::stopTime));
        if (newest.isEmpty()) {
            return Finding.fail("newest backup", "no restorable backup in the archive",
                    Hint.of("take one: 'backup create', and schedule them with 'schedule install'",
                            "take one with Back up now, and schedule them on the Schedule page (Install)"));
        }
        BackupRecord b = newest.get();
        Duration age = Duration.between(b.stopTime(), now);
        m.newestBackupId = b.id();
        m.newestBackupTime = b.stopTime();
        m.newestBackupAge = age.toMillis() / 1000.0;
        m.newestBackupBytes = b.sizeBytes();
        String detail = b.id() + " finished " + hours(age) + " ago (" + ByteSize.of(b.sizeBytes()) + ", " + b.status().label() + ")";
        if (age.compareTo(stale.multipliedBy(2)) > 0) {
            return Finding.fail("newest backup", detail + "; stale after " + hours(stale),
                    Hint.of("scheduled backups are not running: check 'schedule status' and .pitr/logs/backup.log",
                            "scheduled backups are not running: check the Schedule page and .pitr/logs/backup.log"));
        }
        if (age.compareTo(stale) > 0) {
            return Finding.warn("newest backup", detail + "; stale after " + hours(stale),
                    Hint.of("check 'schedule status' and .pitr/logs/backup.log, or run 'backup create'",
                            "check the Schedule page and .pitr/logs/backup.log, or click Back up now"));
        }
        return Finding.pass("newest backup", detail);
    }

    private static Finding verification(List<BackupRecord> records, Instant now, Acc m) {
        Optional<BackupRecord> corrupt = records.stream().filter(r -> r.status() == BackupStatus.CORRUPT)
                .max(Comparator.comparing(BackupRecord::id));
        Optional<BackupRecord> lastVerified = records.stream().filter(r -> r.lastVerified() != null)
                .max(Comparator.comparing(BackupRecord::lastVerified));
        m.lastVerified = lastVerified.map(BackupRecord::lastVerified).orElse(null);
        Optional<BackupRecord> newestUsable = records.stream().filter(r -> r.status().usable()).max(Comparator.comparing(BackupRecord::id));
        if (corrupt.isPresent() && (newestUsable.isEmpty() || corrupt.get().id().compareTo(newestUsable.get().id()) > 0)) {
            return Finding.fail("verification", "the newest backup " + corrupt.get().id() + " failed verification: "
                    + corrupt.get().verifyDetail(), Hint.of("take a new backup now and find out why: 'backup verify " + corrupt.get().id() + "'",
                    "take a new backup now and find out why: the Backups page lists what verification found in " + corrupt.get().id()));
        }
        if (lastVerified.isEmpty()) {
            return Finding.warn("verification", "no backup has ever been verified",
                    Hint.of("run 'backup verify' on the newest backup", "click Verify on the Dashboard to check the newest backup"));
        }
        Duration age = Duration.between(lastVerified.get().lastVerified(), now);
        String detail = "last verified " + lastVerified.get().id() + " " + hours(age) + " ago ("
                + lastVerified.get().status().label() + ")";
        if (age.compareTo(VERIFY_WARN_AFTER) > 0) {
            return Finding.warn("verification", detail, Hint.of("verify regularly: 'backup verify' on the newest backup",
                    "verify regularly: click Verify on the Dashboard to check the newest backup"));
        }
        return Finding.pass("verification", detail);
    }

    private static Finding newestWal(WalArchiveFiles wal, Instant now, Duration critical, Acc m) {
        m.walArchiveBytes = wal.totalBytes();
        m.walSegments = (long) wal.segments().size();
        Optional<ArchivedWalFile> newest = wal.newestSegment();
        if (newest.isEmpty()) {
            return Finding.fail("newest WAL", "no WAL segment in " + "wal_archive/",
                    Hint.of("set up archiving: 'archiving generate', 'archiving apply', then 'archiving verify'",
                            "set up archiving: click Apply... on the WAL Archiving page, then Verify"));
        }
        Duration age = Duration.between(newest.get().modified(), now);
        m.newestWal = newest.get().name();
        m.newestWalAge = age.toMillis() / 1000.0;
        String detail = newest.get().name() + " archived " + hours(age) + " ago";
        if (age.compareTo(critical) > 0) {
            return Finding.fail("newest WAL", detail, Hint.of("archiving has stopped: 'archiving verify' shows why",
                    "archiving has stopped: Verify on the WAL Archiving page shows why"));
        }
        if (age.compareTo(WAL_WARN_AFTER) > 0) {
            return Finding.warn("newest WAL", detail,
                    Hint.of("a quiet server archives nothing new; otherwise check archive_timeout and 'archiving verify'",
                            "a quiet server archives nothing new; otherwise check archive_timeout and Verify on the WAL Archiving page"));
        }
        return Finding.pass("newest WAL", detail);
    }

    /**
     * Gaps, damaged segments and recovery windows from the WAL index (which reads each segment once
     * and caches it under .pitr/). If the index cannot be built, gaps are still found by file name.
     */
    private List<Finding> walChain(List<BackupRecord> records, WalArchiveFiles wal, Supplier<AbandonedTimelines> abandoned, Acc m) {
        List<Finding> out = new ArrayList<>();
        RecoveryWindows windows;
        try {
            windows = RecoveryWindows.compute(records, WalArchiveIndex.load(repository, ProgressListener.NONE, Cancellation.none()),
                    abandoned.get());
        } catch (PitrException e) {
            out.add(Finding.warn("WAL index", e.getMessage(), e.hint()));
            List<WalGap> missing = WalGaps.between(wal.segments().stream().map(f -> f.segment().orElseThrow()).toList());
            m.walGaps = missing.stream().mapToLong(WalGap::missingCount).sum();
            out.add(missing.isEmpty() ? Finding.pass("WAL gaps", "none by segment names")
                    : Finding.fail("WAL gaps", m.walGaps + " segments missing, first " + missing.get(0).missing().get(0), GAP_HINT));
            return out;
        }
        List<WalGap> gaps = windows.gaps();
        m.walGaps = gaps.stream().mapToLong(WalGap::missingCount).sum();
        out.add(gaps.isEmpty() ? Finding.pass("WAL gaps", "none")
                : Finding.fail("WAL gaps", m.walGaps + " segments missing, first " + gaps.get(0).missing().get(0)
                        + " on timeline " + gaps.get(0).timeline(), GAP_HINT));
        List<SegmentInfo> damaged = windows.index().damaged();
        if (!damaged.isEmpty()) {
            out.add(Finding.fail("WAL damage", damaged.size() + " damaged segments, first " + damaged.get(0).name() + ": "
                    + damaged.get(0).damage().orElse("?"), Hint.of("recovery stops at damage: take a new base backup now; 'wal status' lists them",
                    "recovery stops at damage: take a new base backup now (Back up now); 'wal status' on the command line lists them")));
        }
        m.lastTransaction = windows.index().segments().stream().flatMap(x -> x.lastXactTime().stream()).max(Comparator.naturalOrder())
                .orElse(null);
        Optional<RecoveryWindow> end = windows.liveMerged().stream().max(Comparator.comparing(RecoveryWindow::to));
        m.windowEnd = end.map(RecoveryWindow::to).orElse(null);
        boolean anyUsable = records.stream().anyMatch(r -> r.status().usable());
        if (end.isEmpty() && anyUsable) {
            out.add(Finding.fail("recovery window", "no backup can be restored with the archived WAL: "
                    + windows.unrestorable().stream().map(u -> u.backupId() + " (" + u.reason() + ")").findFirst().orElse(""),
                    Hint.of("check archiving ('archiving verify') and take a new backup",
                            "check archiving (Verify on the WAL Archiving page) and take a new backup (Back up now)")));
        } else if (end.isPresent()) {
            String detail = "restorable up to " + Timestamps.micros(end.get().to()) + " on timeline " + end.get().timeline() + " (from " + end.get().backupId() + ")";
            out.add(windows.unrestorable().isEmpty() ? Finding.pass("recovery window", detail)
                    : Finding.warn("recovery window", detail + "; " + windows.unrestorable().size()
                            + " backups cannot be restored, e.g. " + windows.unrestorable().get(0).backupId() + " ("
                            + windows.unrestorable().get(0).reason() + ")",
                            Hint.of("'windows' shows which; those backups cannot be restored",
                                    "the Backups page and the Recovery Timeline show which; those backups cannot be restored")));
        }
        return out;
    }

    /**
     * The server's own line, then its archiver. A server that cannot be reached is critical: a
     * monitoring probe that only warns would let WAL go unarchived unnoticed.
     */
    private static List<Finding> server(ConnectionSettings c, Instant now, Acc m) {
        ArchiverCounters k;
        try (Connection conn = PgConnections.open(c)) {
            k = ArchiverCounters.read(conn, c);
        } catch (PitrException e) {
            m.serverUp = false;
            return unreachable(c, e.getMessage(), e.hint());
        } catch (SQLException e) {
            m.serverUp = false;
            return unreachable(c, e.getMessage(), "check that the server runs and the connection options (-h, -p, -U, -d)");
        }
        return List.of(Finding.pass("server", "connected to " + c.describe()), archiver(k, now, m));
    }

    private static List<Finding> unreachable(ConnectionSettings c, String why, String hint) {
        return List.of(Finding.fail("server", "cannot reach the server " + c.describe() + ": " + why, hint),
                Finding.warn("archiver", "unknown: pg_stat_archiver cannot be read while the server cannot be reached", hint));
    }

    private static Finding archiver(ArchiverCounters k, Instant now, Acc m) {
        m.serverUp = true;
        m.archivedCount = k.archivedCount();
        m.failedCount = k.failedCount();
        m.failing = k.failing();
        m.lastFailed = k.lastFailedTime();
        String detail = k.archivedCount() + " archived, " + k.failedCount() + " failed"
                + (k.lastFailedWal() == null ? "" : ", last failure " + k.lastFailedWal() + " at " + k.lastFailedTime());
        if (k.failing()) {
            return Finding.fail("archiver", detail + "; the last attempt failed",
                    Hint.of("the server keeps WAL until archive_command succeeds; read the server log and run 'archiving verify'",
                            "the server keeps WAL until archive_command succeeds; read the server log and click Verify on the WAL Archiving page"));
        }
        if (k.lastFailedTime() != null && Duration.between(k.lastFailedTime(), now).compareTo(Duration.ofDays(1)) < 0) {
            return Finding.warn("archiver", detail + "; recovered since", "read the server log around " + k.lastFailedTime());
        }
        return Finding.pass("archiver", detail);
    }

    private Finding leftovers(Instant now) {
        List<LeftoverFile> found = repository.leftovers(now);
        if (found.isEmpty()) {
            return Finding.pass("leftover files", "no temporary files left by killed writers");
        }
        return Finding.warn("leftover files", found.size() + " temporary file(s) left by killed writers, "
                + ByteSize.of(found.stream().mapToLong(LeftoverFile::bytes).sum()).human() + " (oldest " + found.get(0).fileName() + ")",
                Hint.of("run 'cleanup' to remove them", "the scheduled cleanup removes them ('cleanup' on the command line does it now)"));
    }

    private Finding freeSpace(Acc m) {
        try {
            java.util.OptionalLong usable = repository.backups().usableSpace();
            if (usable.isEmpty()) {
                return Finding.pass("free space", "not known for this repository");
            }
            long free = usable.getAsLong();
            m.freeBytes = free;
            long need = m.newestBackupBytes == null ? 0 : m.newestBackupBytes;
            String detail = ByteSize.of(free) + " free; newest backup " + ByteSize.of(need);
            if (need > 0 && free < need) {
                return Finding.fail("free space", detail, Hint.of("the next backup will not fit: run 'cleanup' or add space",
                        "the next backup will not fit: add space, or delete the backups you no longer need on the Backups page (Preview cleanup on the Schedule page shows what retention removes)"));
            }
            if (need > 0 && free < 2 * need) {
                return Finding.warn("free space", detail, Hint.of("room for one more backup only: run 'cleanup' or add space",
                        "room for one more backup only: add space, or delete the backups you no longer need on the Backups page (Preview cleanup on the Schedule page shows what retention removes)"));
            }
            return Finding.pass("free space", detail);
        } catch (IOException e) {
            return Finding.warn("free space", "cannot tell: " + e.getMessage(), "check the archive's file system (df)");
        }
    }

    private static final String GAP_HINT = "recovery cannot pass a gap: take a new base backup now so the window restarts after it";

    private static String hours(Duration d) {
        long minutes = d.toMinutes();
        return minutes < 120 ? minutes + " min" : String.format("%.1f h", minutes / 60.0);
    }

    /** Collects the numbers while the checks run. */
    static final class Acc {
        Map<String, Long> backupsByStatus = Map.of();
        Long backupsBytes;
        String newestBackupId;
        Instant newestBackupTime;
        Double newestBackupAge;
        Long newestBackupBytes;
        Instant lastVerified;
        Boolean serverUp;
        Long archivedCount;
        Long failedCount;
        Boolean failing;
        Instant lastFailed;
        String newestWal;
        Double newestWalAge;
        Long walArchiveBytes;
        Long walSegments;
        Long walGaps;
        Long freeBytes;
        Instant lastTransaction;
        Instant windowEnd;

        HealthMetrics build() {
            return new HealthMetrics(backupsByStatus, backupsBytes, newestBackupId, newestBackupTime, newestBackupAge,
                    newestBackupBytes, lastVerified, serverUp, archivedCount, failedCount, failing, lastFailed, newestWal,
                    newestWalAge, walArchiveBytes, walSegments, walGaps, freeBytes, lastTransaction, windowEnd);
        }
    }
}
