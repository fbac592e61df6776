package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real pg_waldump over archived segments and parses the records it prints. */
final class Waldump {
    private static final Pattern LINE = Pattern.compile(
            "^rmgr: (\\S+)\\s+len \\(rec/tot\\):\\s*(\\d+)/\\s*(\\d+), tx:\\s*(\\d+), lsn: ([0-9A-F]+/[0-9A-F]+), "
                    + "prev ([0-9A-F]+/[0-9A-F]+), desc: (\\S+)\\s?(.*)$");
    private static final Pattern TIME = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}) UTC");
    private static final Pattern PREPARED_XID = Pattern.compile("^(\\d+): ");
    private static final Pattern REDO = Pattern.compile("^redo ([0-9A-F]+/[0-9A-F]+); tli (\\d+); prev tli (\\d+);");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    record Line(String rmgr, long totalLength, long xid, Lsn lsn, String op, String desc) {
    }

    private Waldump() {
    }

    /** All records from the start of {@code first} to the end of {@code last}, in {@code dir}. */
    static List<Line> records(Path binDir, Path dir, String first, String last) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(binDir.resolve("pg_waldump").toString(), "-p", dir.toString(), first, last);
        // pg_waldump prints times in the local zone
        pb.environment().putAll(Map.of("TZ", "UTC"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<Line> lines = new ArrayList<>();
        for (String s : out.split("\n")) {
            Matcher m = LINE.matcher(s);
            if (m.matches()) {
                lines.add(new Line(m.group(1), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                        Lsn.parse(m.group(5)), m.group(7), m.group(8)));
            }
        }
        return lines;
    }

    /** The transaction end a line describes, as the reader should report it. */
    static Optional<XactEnd> xactEnd(Line l) {
        if (!l.rmgr().equals("Transaction")) {
            return Optional.empty();
        }
        XactKind kind;
        try {
            kind = XactKind.valueOf(l.op());
        } catch (IllegalArgumentException notAnEnd) {
            return Optional.empty();
        }
        long xid = l.xid();
        Matcher px = PREPARED_XID.matcher(l.desc());
        if ((kind == XactKind.COMMIT_PREPARED || kind == XactKind.ABORT_PREPARED) && px.find()) {
            xid = Long.parseLong(px.group(1));
        }
        Matcher t = TIME.matcher(l.desc());
        if (!t.find()) {
            throw new IllegalStateException("no time in " + l);
        }
        Instant time = LocalDateTime.parse(t.group(1), FORMAT).toInstant(ZoneOffset.UTC);
        return Optional.of(new XactEnd(kind, xid, time, l.lsn()));
    }

    /** A time as pg_waldump prints it with TZ=UTC. */
    static String utcText(Instant t) {
        return FORMAT.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + " UTC";
    }

    /** Checkpoint lines as (lsn, shutdown, redo, tli, prev tli); the time is not printed. */
    static Optional<String> checkpoint(Line l) {
        if (!l.rmgr().equals("XLOG") || !l.op().startsWith("CHECKPOINT_")) {
            return Optional.empty();
        }
        Matcher m = REDO.matcher(l.desc());
        if (!m.find()) {
            throw new IllegalStateException("no redo in " + l);
        }
        return Optional.of(l.lsn() + " " + l.op().equals("CHECKPOINT_SHUTDOWN") + " " + Lsn.parse(m.group(1))
                + " " + m.group(2) + " " + m.group(3));
    }
}
