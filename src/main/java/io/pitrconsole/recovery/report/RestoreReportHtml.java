package io.pitrconsole.recovery.report;

import io.pitrconsole.core.Timestamps;

/** A restore report as one self-contained HTML page, to attach to a ticket or an audit trail. */
public final class RestoreReportHtml {

    private RestoreReportHtml() {
    }

    /** The page; every value from the report is escaped. */
    public static String render(RestoreReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Restore ").append(esc(r.id()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.ok{color:#1a7f37}.fail{color:#cf222e}.warn{color:#9a6700}</style>"
                        + "</head><body>\n");
        sb.append("<h1>Restore ").append(esc(r.id())).append(": <span class=\"").append(r.succeeded() ? "ok" : "fail").append("\">")
                .append(esc(r.status())).append("</span></h1>\n<table>\n");
        row(sb, "Mode", r.mode().label());
        row(sb, "Backup", r.backup());
        row(sb, "Target", r.target());
        row(sb, "Reached", r.reachedTarget());
        row(sb, "Timeline now", r.restoredTimeline() == null ? null : String.valueOf(r.restoredTimeline()));
        row(sb, "Measured RTO", r.rtoSeconds() == null ? null : String.format("%.1f s", r.rtoSeconds()));
        row(sb, "Started", r.startedAt() == null ? null : Timestamps.seconds(r.startedAt()));
        row(sb, "Data directory", r.dataDirectory());
        row(sb, "Port", r.port() == null ? null : String.valueOf(r.port()));
        row(sb, "Sandbox", r.sandbox() == null ? null : r.sandbox() + (r.kept() ? " (kept running)" : " (removed)"));
        row(sb, "Server log", r.serverLog());
        r.movedAside().forEach((from, to) -> row(sb, "Previous data", from + (r.rolledBack() ? " (put back)" : " kept at " + to)));
        row(sb, "Error", r.error());
        row(sb, "Hint", r.hint() == null || r.hint().isEmpty() ? null : r.hint());
        sb.append("</table>\n");
        if (!r.checks().isEmpty()) {
            sb.append("<h2>Checks</h2>\n<table><tr><th>check</th><th>result</th><th>detail</th></tr>\n");
            for (RestoreReport.Check c : r.checks()) {
                sb.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"").append(!c.ok() ? "fail\">FAIL" : c.warning() ? "warn\">warn" : "ok\">pass")
                        .append("</td><td>").append(esc(c.detail())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (!r.rowCounts().isEmpty()) {
            sb.append("<h2>Row counts</h2>\n<table><tr><th>table</th><th>rows</th></tr>\n");
            r.rowCounts().forEach((t, n) -> sb.append("<tr><td>").append(esc(t)).append("</td><td>").append(n).append("</td></tr>\n"));
            sb.append("</table>\n");
        }
        sb.append("<h2>Steps</h2>\n<table><tr><th>step</th><th>seconds</th><th>detail</th></tr>\n");
        for (RestoreReport.Step s : r.steps()) {
            sb.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(String.format("%.1f", s.seconds()))
                    .append("</td><td>").append(esc(s.detail())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!r.notes().isEmpty()) {
            sb.append("<h2>Notes</h2>\n<ul>\n");
            r.notes().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
        }
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
