package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The index cache's bytes: a compact binary file rather than JSON, because the cache is read by
 * every 'windows' and 'wal status' run and a JSON mapper's start-up alone cost more than the rest
 * of a warm run. Each entry carries its own CRC32C, so a damaged entry is dropped (and its segment
 * read again) instead of trusted; a file with another magic, format or segment size, or that ends
 * early, is dropped whole.
 * <pre>
 * magic "PITRWIX\n" | int format | long segmentSize | int count | count x (int length | entry | int crc32c(entry))
 * entry: key | nextKey? | long startLsn | long endLsn | firstXactTime? | lastXactTime?
 *        | int n | n x (name | time | long lsn | int timeline) | boolean complete | damage? | long systemIdentifier
 * </pre>
 * Strings are modified UTF-8 (DataOutput.writeUTF), times epoch second (long) and nanosecond
 * (int), and a trailing '?' means a presence byte first.
 */
final class SegmentCacheFile {
    // 3: entries of format 2 were written by a reader that knew only PostgreSQL 15 and called other majors damaged
    // 4: each entry names the database system of its segment, so WAL of another system is never offered
    static final int FORMAT = 4;
    private static final byte[] MAGIC = "PITRWIX\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ENTRY = 1 << 20;

    /** What a cache file held: its segment size and the entries whose checksums were right. */
    record Content(long segmentSize, List<SegmentCache.Entry> entries, int damagedEntries) {
    }

    private SegmentCacheFile() {
    }

    static byte[] write(long segmentSize, List<SegmentCache.Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 160);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(segmentSize);
        out.writeInt(entries.size());
        ByteArrayOutputStream one = new ByteArrayOutputStream(256);
        DataOutputStream e = new DataOutputStream(one);
        CRC32C crc = new CRC32C();
        for (SegmentCache.Entry entry : entries) {
            one.reset();
            writeEntry(e, entry);
            e.flush();
            byte[] b = one.toByteArray();
            crc.reset();
            crc.update(b);
            out.writeInt(b.length);
            out.write(b);
            out.writeInt((int) crc.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Parses a cache file; throws IOException when the file as a whole cannot be used. */
    static Content read(byte[] file) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a WAL index cache file");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("cache format " + format + ", this version writes " + FORMAT);
        }
        long segmentSize = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative entry count");
        }
        List<SegmentCache.Entry> entries = new ArrayList<>(Math.min(count, 1 << 16));
        int damaged = 0;
        CRC32C crc = new CRC32C();
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_ENTRY) {
                throw new IOException("impossible entry length " + length);
            }
            byte[] b = new byte[length];
            in.readFully(b);
            int stored = in.readInt();
            crc.reset();
            crc.update(b);
            if ((int) crc.getValue() != stored) {
                damaged++;
                continue;
            }
            try {
                entries.add(readEntry(new DataInputStream(new ByteArrayInputStream(b))));
            } catch (IOException | RuntimeException bad) {
                damaged++;
            }
        }
        if (in.read() >= 0) {
            throw new IOException("bytes after the last entry");
        }
        return new Content(segmentSize, entries, damaged);
    }

    private static void writeEntry(DataOutputStream out, SegmentCache.Entry e) throws IOException {
        out.writeUTF(e.key());
        writeOptional(out, e.nextKey());
        out.writeLong(e.startLsn().value());
        out.writeLong(e.endLsn().value());
        writeTime(out, e.firstXactTime());
        writeTime(out, e.lastXactTime());
        out.writeInt(e.restorePoints().size());
        for (RestorePoint p : e.restorePoints()) {
            out.writeUTF(p.name());
            out.writeLong(p.time().getEpochSecond());
            out.writeInt(p.time().getNano());
            out.writeLong(p.lsn().value());
            out.writeInt(p.timeline());
        }
        out.writeBoolean(e.complete());
        writeOptional(out, e.damage());
        out.writeLong(e.systemIdentifier());
    }

    private static SegmentCache.Entry readEntry(DataInputStream in) throws IOException {
        String key = in.readUTF();
        String nextKey = readOptional(in);
        Lsn start = new Lsn(in.readLong());
        Lsn end = new Lsn(in.readLong());
        Instant first = readTime(in);
        Instant last = readTime(in);
        int n = in.readInt();
        if (n < 0 || n > MAX_ENTRY) {
            throw new IOException("impossible restore point count " + n);
        }
        List<RestorePoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
            points.add(new RestorePoint(name, time, new Lsn(in.readLong()), in.readInt()));
        }
        boolean complete = in.readBoolean();
        String damage = readOptional(in);
        long systemIdentifier = in.readLong();
        if (in.read() >= 0) {
            throw new IOException("bytes after the entry");
        }
        return new SegmentCache.Entry(key, nextKey, start, end, first, last, points, complete, damage, systemIdentifier);
    }

    private static void writeOptional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeTime(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant readTime(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
