package io.pitrconsole.recovery.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The archive's restore reports: one JSON and one text file per restore in .pitr/reports/. */
public final class RestoreReports {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreReports.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private final Path dir;

    public RestoreReports(Repository repository) {
        this.dir = repository.localCache().resolve("reports");
    }

    public Path directory() {
        return dir;
    }

    /**
     * Saves a report atomically as id.json and id.txt, and the console's wording of its notes and hint,
     * where it differs, as id.console (JSON, kept out of id.json, which the command line prints); returns the JSON file.
     */
    public Path save(RestoreReport report) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(report.id() + ".json");
            AtomicFiles.write(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
            AtomicFiles.write(dir.resolve(report.id() + ".txt"), text(report).getBytes(StandardCharsets.UTF_8));
            if (!report.consoleWords().isEmpty()) {
                AtomicFiles.write(consoleWordsFile(report.id()), Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(report.consoleWords()));
            }
            return json;
        } catch (IOException e) {
            throw new PitrException("could not save the restore report in " + dir + ": " + e.getMessage(),
                    "check free space and permissions of the archive's .pitr directory");
        }
    }

    /** Writes the report as HTML beside its JSON (id.html) and returns that file. */
    public Path exportHtml(RestoreReport report) {
        try {
            Files.createDirectories(dir);
            Path html = dir.resolve(report.id() + ".html");
            AtomicFiles.write(html, RestoreReportHtml.render(report).getBytes(StandardCharsets.UTF_8));
            return html;
        } catch (IOException e) {
            throw new PitrException("could not write " + report.id() + ".html in " + dir + ": " + e.getMessage(),
                    "check free space and permissions of the archive's .pitr directory");
        }
    }

    private Path consoleWordsFile(String id) {
        return dir.resolve(id + ".console");
    }

    /** The console's wording saved beside a report; none for a report saved without it (or before it existed). */
    private Map<String, String> consoleWords(String id) {
        Path f = id == null ? null : consoleWordsFile(id);
        if (f == null || !Files.isRegularFile(f)) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(f.toFile(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            LOG.warn("the console's wording of report {} is unreadable, its command-line wording is shown: {}", id, e.getMessage());
            return Map.of();
        }
    }

    /** All readable reports, newest first; unreadable files are logged and skipped. */
    public List<RestoreReport> list() {
        return read(Integer.MAX_VALUE);
    }

    /** What an estimate needs of an earlier restore: how it ended, what it extracted and replayed, each step's seconds. */
    public record Timing(boolean succeeded, long bytesExtracted, int walSegmentsRestored, Map<String, Double> stepSeconds) {
        public Timing {
            stepSeconds = Map.copyOf(stepSeconds);
        }

        public double seconds(String step) {
            return stepSeconds.getOrDefault(step, 0.0);
        }

        public double totalSeconds() {
            return stepSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * The timings of the newest {@code limit} reports (by when they were written), newest first: what
     * an estimate needs, without reading years of history each time a restore is planned. Read as
     * JSON trees, not as whole reports: binding twenty of them took about 0.15 s of a restore's start.
     */
    public List<Timing> recentTimings(int limit) {
        List<Timing> out = new ArrayList<>();
        for (Path f : newest(limit)) {
            try {
                JsonNode r = Json.mapper().readTree(f.toFile());
                Map<String, Double> steps = new LinkedHashMap<>();
                r.path("steps").forEach(s -> steps.merge(s.path("name").asText(), s.path("seconds").asDouble(), Double::sum));
                out.add(new Timing(RestoreReport.SUCCEEDED.equals(r.path("status").asText()), r.path("bytesExtracted").asLong(),
                        r.path("walSegmentsRestored").asInt(), steps));
            } catch (IOException e) {
                LOG.warn("skipping unreadable report {}: {}", f, e.getMessage());
            }
        }
        return out;
    }

    private List<RestoreReport> read(int limit) {
        List<RestoreReport> out = new ArrayList<>();
        for (Path f : newest(limit)) {
            try {
                RestoreReport r = Json.mapper().readValue(f.toFile(), RestoreReport.class);
                out.add(r.withConsoleWords(consoleWords(r.id())));
            } catch (IOException e) {
                LOG.warn("skipping unreadable report {}: {}", f, e.getMessage());
            }
        }
        out.sort(Comparator.comparing(RestoreReport::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        return out;
    }

    /** The newest {@code limit} report files by when they were written, newest first. */
    private List<Path> newest(int limit) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(RestoreReports::written).reversed()).limit(limit).toList();
        } catch (IOException e) {
            throw new PitrException("cannot list " + dir + ": " + e.getMessage(), "check permissions of the archive's .pitr directory");
        }
    }

    private static FileTime written(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** The report as a person reads it. */
    public static String text(RestoreReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Restore ").append(r.id()).append(": ").append(r.status().toUpperCase()).append('\n');
        sb.append("  mode:            ").append(r.mode().label()).append('\n');
        sb.append("  backup:          ").append(r.backup()).append('\n');
        sb.append("  target:          ").append(r.target()).append('\n');
        sb.append("  data directory:  ").append(r.dataDirectory()).append(r.kept() ? " (kept running)" : "").append('\n');
        if (r.port() != null) {
            sb.append("  port:            ").append(r.port()).append('\n');
        }
        sb.append("  started:         ").append(r.startedAt() == null ? "-" : TIME.format(r.startedAt().atZone(ZoneId.systemDefault()))).append('\n');
        if (r.reachedTarget() != null) {
            sb.append("  reached:         ").append(r.reachedTarget()).append('\n');
        }
        if (r.restoredTimeline() != null) {
            sb.append("  timeline now:    ").append(r.restoredTimeline()).append('\n');
        }
        if (r.rtoSeconds() != null) {
            sb.append(String.format("  measured RTO:    %.1f s%n", r.rtoSeconds()));
        }
        if (r.serverLog() != null) {
            sb.append("  server log:      ").append(r.serverLog()).append('\n');
        }
        if (r.sandbox() != null) {
            sb.append("  sandbox:         ").append(r.sandbox()).append(r.kept() ? " ('restore discard " + r.sandbox() + "' removes it)" : " (removed)").append('\n');
        }
        r.movedAside().forEach((from, to) -> sb.append("  previous data:   ").append(from).append(r.rolledBack() ? " (put back)" : " kept at " + to).append('\n'));
        if (!r.rowCounts().isEmpty()) {
            sb.append("  row counts:      ").append(r.rowCounts()).append('\n');
        }
        r.notes().forEach(n -> sb.append("  note:            ").append(n).append('\n'));
        sb.append("  steps:\n");
        for (RestoreReport.Step s : r.steps()) {
            sb.append(String.format("    %-28s %8.1f s  %s%n", s.name(), s.seconds(), s.detail() == null ? "" : s.detail()));
        }
        if (!r.checks().isEmpty()) {
            sb.append("  checks:\n");
            for (RestoreReport.Check c : r.checks()) {
                sb.append("    [").append(c.label()).append("] ").append(c.name()).append(": ").append(c.detail()).append('\n');
            }
        }
        if (r.error() != null) {
            sb.append("  error: ").append(r.error()).append('\n');
            if (r.hint() != null && !r.hint().isEmpty()) {
                sb.append("  hint:  ").append(r.hint()).append('\n');
            }
        }
        return sb.toString();
    }
}
