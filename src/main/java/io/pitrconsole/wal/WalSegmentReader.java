package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WAL segment files of PostgreSQL 13 to 18 (plain, .gz, .zst, .partial) natively: validates page
 * headers, the record chain and every record's CRC, and collects commit/abort times, restore
 * points, checkpoints and end-of-recovery records. Bad bytes never throw: they are reported as
 * the segment's damage, with the location where reading stopped.
 */
public final class WalSegmentReader {
    private static final Logger LOG = LoggerFactory.getLogger(WalSegmentReader.class);

    private WalSegmentReader() {
    }

    /**
     * Summarises one segment; throws PitrException only when the file cannot be read at all, or
     * {@link UnsupportedWalException} when a PostgreSQL release it does not know wrote it.
     */
    public static SegmentInfo read(WalSegmentName name, Path file, Optional<Path> nextSegmentFile) {
        return scanner().read(name, file, nextSegmentFile);
    }

    /** Like {@link #read}, with every transaction end, checkpoint and end-of-recovery record found. */
    public static SegmentScan scan(WalSegmentName name, Path file, Optional<Path> nextSegmentFile) {
        return scanner().scan(name, file, nextSegmentFile);
    }

    /** How much of each record the reader checks. */
    public enum Checks {
        /** Every record's CRC, as the server checks in recovery: reads every byte of the WAL. */
        FULL,
        /**
         * What the index needs: every page header and every record's header, length and back link,
         * and the CRC of each record whose contents are used (transaction ends, restore points,
         * checkpoints, switches, end of recovery). Bodies of other records, mostly full-page
         * images, are stepped over by their length and not read, so damage inside them goes unseen
         * (a FULL read finds it).
         */
        INDEX
    }

    /** A reader with {@link Checks#FULL} that keeps its buffers from one segment to the next; use one per thread. */
    public static Scanner scanner() {
        return new Scanner(Checks.FULL);
    }

    /** Like {@link #scanner()}, checking as much as {@code checks} says. */
    public static Scanner scanner(Checks checks) {
        return new Scanner(checks);
    }

    /** Reads segments one after another on one thread, reusing its working memory. */
    public static final class Scanner {
        private final ScanBuffers buffers = new ScanBuffers();
        private final Checks checks;

        private Scanner(Checks checks) {
            this.checks = checks;
        }

        /** Summarises one segment; throws PitrException only when the file cannot be read at all. */
        public SegmentInfo read(WalSegmentName name, Path file, Optional<Path> nextSegmentFile) {
            return read(name, SegmentSource.of(file), nextSegmentFile.map(SegmentSource::of));
        }

        /** Like {@link #read}, with every transaction end, checkpoint and end-of-recovery record found. */
        public SegmentScan scan(WalSegmentName name, Path file, Optional<Path> nextSegmentFile) {
            return scan(name, SegmentSource.of(file), nextSegmentFile.map(SegmentSource::of));
        }

        /**
         * Like {@link #scan(WalSegmentName, Path, Optional)}, for a segment the index found in
         * {@code store}: read again from there, mapped or streamed as the store keeps it.
         */
        public SegmentScan scan(WalStore store, SegmentInfo segment, Optional<SegmentInfo> nextSegment) {
            return scan(segment.name(), source(store, segment), nextSegment.map(n -> source(store, n)));
        }

        private static SegmentSource source(WalStore store, SegmentInfo s) {
            return SegmentSource.of(store, s.file().getFileName().toString(), s.fileSize());
        }

        SegmentInfo read(WalSegmentName name, SegmentSource file, Optional<SegmentSource> next) {
            return WalSegmentReader.scan(name, file, next, buffers, checks, false).info();
        }

        SegmentScan scan(WalSegmentName name, SegmentSource file, Optional<SegmentSource> next) {
            return WalSegmentReader.scan(name, file, next, buffers, checks, true);
        }
    }

    /** {@code keepTransactions}: list every transaction end in the result (else only the summary's first and last times). */
    private static SegmentScan scan(WalSegmentName name, SegmentSource source, Optional<SegmentSource> nextSegmentFile,
                                    ScanBuffers buffers, Checks checks, boolean keepTransactions) {
        Path file = source.file();
        boolean partial = source.fileName().contains(".partial");
        long fileSize = sizeOf(source);
        int capacity = (int) name.segmentSize();
        SegmentBytes opened;
        try {
            opened = open(source, capacity, buffers);
        } catch (CorruptCompressionException e) {
            // its cause said: an encrypted file failing its authentication in the first bytes the decompressor reads is tampering
            return damaged(name, file, fileSize, "compressed data is corrupt or not in the format its name says: " + e.getMessage());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        try (SegmentBytes bytes = opened) {
            SegmentWalk walk = new SegmentWalk(name, partial, bytes, nextSegmentFile, buffers, checks, keepTransactions);
            SegmentWalk.Stop stop;
            try {
                stop = walk.run();
            } catch (CorruptCompressionException e) {
                return damaged(name, file, fileSize, corrupt(source) + ": " + e.getMessage());
            } catch (IOException e) {
                throw unreadable(file, e);
            } catch (InternalError e) {
                // a mapped file shrinking under the reader faults on access: the file changed while read
                return damaged(name, file, fileSize, "file changed while it was read: " + e.getMessage());
            } catch (UnsupportedWalException e) {
                throw e;
            } catch (RuntimeException e) {
                // a reader bug must not take down an index run over thousands of segments
                LOG.warn("internal error reading {}", file, e);
                return damaged(name, file, fileSize, "internal reader error: " + e);
            }
            if (walk.damage instanceof PageChecker.UnsupportedMagic u) {
                throw new UnsupportedWalException(WalFormat.releaseOf(u.magic()), u.magic(), file);
            }
            Optional<String> damage = Optional.ofNullable(walk.damage).map(WalDamage::describe);
            Optional<Long> damageLsn = Optional.ofNullable(walk.damage).map(WalDamage::lsn);
            if (damage.isEmpty() && !partial) {
                damage = sizeProblem(bytes, stop, capacity, walk.endLsn, checks, corrupt(source));
                if (damage.isPresent()) {
                    // restore_command or the server refuses such a file whole: none of its records is replayed
                    damageLsn = Optional.of(name.startLsn().value());
                }
            }
            boolean complete = damage.isEmpty() && !partial && stop != SegmentWalk.Stop.END_OF_WAL;
            RecordInterpreter found = walk.found();
            List<XactEnd> xacts = found.transactions;
            Optional<Instant> first = found.firstTransactionTime();
            Optional<Instant> last = found.lastTransactionTime();
            long start = walk.firstRecordLsn >= 0 ? walk.firstRecordLsn : name.startLsn().value();
            SegmentInfo info = new SegmentInfo(name, file, fileSize, new Lsn(start), new Lsn(walk.endLsn),
                    first, last, found.restorePoints, complete, damage, walk.pages().systemId());
            return new SegmentScan(info, walk.pages().systemId(), walk.pages().firstTli(), walk.pages().lastTli(), xacts, found.checkpoints,
                    found.endsOfRecovery, walk.switchLsn >= 0 ? Optional.of(new Lsn(walk.switchLsn)) : Optional.empty(),
                    damageLsn.map(Lsn::new), walk.records, bytes.filled() + walk.nextBytesRead());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static SegmentBytes open(SegmentSource source, int capacity, ScanBuffers buffers) throws IOException {
        boolean streamed = source.compressed() || !source.local();
        return SegmentBytes.open(source, capacity, streamed ? buffers.decompressed(capacity) : null);
    }

    /**
     * A plain file must be exactly one segment long; a compressed one must not decompress to more,
     * and with {@link Checks#FULL} it is decompressed to its end, which must come cleanly at exactly
     * one segment: the walk stops at a switch record, but restore_command decompresses the whole
     * file, and the server refuses one of the wrong size.
     */
    private static Optional<String> sizeProblem(SegmentBytes bytes, SegmentWalk.Stop stop, int capacity, long endLsn, Checks checks,
                                                String corrupt) throws IOException {
        long size = bytes.fileSize();
        String where = " (reading stopped at " + new Lsn(endLsn) + ")";
        if (size >= 0 && size != capacity) {
            return Optional.of("file is " + size + " bytes, a segment is " + capacity + where);
        }
        if (size < 0 && checks == Checks.FULL) {
            long whole;
            try {
                whole = bytes.decompressedSize();
            } catch (CorruptCompressionException e) {
                return Optional.of(corrupt + " or truncated after " + new Lsn(endLsn) + ": " + e.getMessage()
                        + "; the file cannot be read whole for recovery" + where);
            }
            if (whole != capacity) {
                return Optional.of("file decompresses to " + whole + " bytes, a segment is " + capacity + where);
            }
            return Optional.empty();
        }
        try {
            if (size < 0 && stop == SegmentWalk.Stop.END_OF_SEGMENT && bytes.hasMoreThanCapacity()) {
                return Optional.of("file decompresses to more than a segment (" + capacity + " bytes)" + where);
            }
        } catch (CorruptCompressionException e) {
            return Optional.of(corrupt + " after the segment's end: " + e.getMessage() + where);
        }
        return Optional.empty();
    }

    /**
     * What a stream that fails partway means: a decompressor rejecting a compressed file, or, for a
     * plain one only a stream reaches, the archive failing to hand it out whole (an encrypted file
     * that fails its authentication says so itself, naming the file).
     */
    private static String corrupt(SegmentSource source) {
        return source.compressed() ? "compressed data is corrupt" : "stored data is damaged";
    }

    private static SegmentScan damaged(WalSegmentName name, Path file, long fileSize, String reason) {
        Lsn start = name.startLsn();
        String text = reason + " (reading stopped at " + start + ")";
        SegmentInfo info = new SegmentInfo(name, file, fileSize, start, start, Optional.empty(), Optional.empty(),
                List.of(), false, Optional.of(text));
        return new SegmentScan(info, 0, 0, 0, List.of(), List.of(), List.of(), Optional.empty(),
                Optional.of(start), 0, 0);
    }

    private static long sizeOf(SegmentSource source) {
        try {
            return source.sizeNow();
        } catch (IOException e) {
            throw unreadable(source.file(), e);
        }
    }

    private static PitrException unreadable(Path file, IOException e) {
        return new PitrException("cannot read WAL file " + file + ": " + e.getMessage(),
                "check that the file exists and is readable by this user");
    }
}
