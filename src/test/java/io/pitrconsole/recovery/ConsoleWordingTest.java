package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.recovery.run.Sandbox;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.HealthService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hint is worded for each front end where the failure is found: the command line keeps its
 * verbs and flags word for word, the console names its own steps, buttons and pages; a saved
 * restore report keeps the console's wording beside its JSON, which stays as the command line prints it.
 */
class ConsoleWordingTest {
    @TempDir
    Path tmp;

    @Test
    void aRehearsalDirectoryInUseNamesTheFlagOnTheCommandLineAndTheModeStepInTheConsole() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("sandbox"));
        Files.writeString(root.resolve("something"), "x");

        PitrException e = catchThrowableOfType(() -> new Sandbox(root).requireUnused(), PitrException.class);

        assertThat(e.hint()).isEqualTo("name a new or empty directory, or leave it out to use a new temporary one");
        assertThat(e.consoleHint()).isEqualTo("type a new or empty Directory on the Mode step, or leave it empty for a new temporary one");
    }

    @Test
    void aDirectoryThatIsNoSandboxNamesTheVerbsOnTheCommandLineAndTheButtonInTheConsole() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));

        PitrException e = catchThrowableOfType(() -> Sandbox.find(dir), PitrException.class);

        assertThat(e.hint()).isEqualTo("'restore history' shows where kept rehearsals live; only those are removed by 'restore discard'");
        assertThat(e.consoleHint()).doesNotContain("'restore").contains("Discard sandbox").contains("Restore page");
    }

    @Test
    void anArchiveWithoutBackupsSaysBackupCreateOnTheCommandLineAndBackUpNowInTheConsole() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Files.createDirectories(tmp.resolve("archive")));

        Finding newest = new HealthService(LocalDirectoryRepository.at(layout.root()), Optional.empty(), Clock.systemUTC()).check().checks().stream()
                .filter(c -> c.check().equals("newest backup")).findFirst().orElseThrow();

        assertThat(newest.hint()).isEqualTo("take one: 'backup create', and schedule them with 'schedule install'");
        assertThat(newest.consoleHint()).isEqualTo("take one with Back up now, and schedule them on the Schedule page (Install)");
    }

    @Test
    void aSavedReportKeepsTheConsolesWordingBesideItsJsonAndAnOldReportReadsAsItWasSaved() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(Files.createDirectories(tmp.resolve("archive")));
        RestoreReports reports = new RestoreReports(LocalDirectoryRepository.at(layout.root()));
        String note = "the rehearsal server keeps running on port 54321; 'restore discard /tmp/s' removes it";
        String hint = "put the directories back by hand, then run 'restore rollback' again (journal j)";
        reports.save(report("restore_20261206_010000_100", note, hint).withConsoleWords(Map.of(
                note, "the rehearsal server keeps running on port 54321; Discard sandbox removes it",
                hint, "put the directories back by hand, then click Roll back this restore again (journal j)")));
        reports.save(report("restore_20261205_010000_100", note, hint));

        List<RestoreReport> read = reports.list();
        RestoreReport now = read.stream().filter(r -> r.id().equals("restore_20261206_010000_100")).findFirst().orElseThrow();
        assertThat(now.notes()).containsExactly(note);
        assertThat(now.hint()).isEqualTo(hint);
        assertThat(now.inConsoleWords(note)).isEqualTo("the rehearsal server keeps running on port 54321; Discard sandbox removes it");
        assertThat(now.inConsoleWords(hint)).isEqualTo("put the directories back by hand, then click Roll back this restore again (journal j)");
        RestoreReport old = read.stream().filter(r -> r.id().equals("restore_20261205_010000_100")).findFirst().orElseThrow();
        assertThat(old.inConsoleWords(note)).isEqualTo(note);

        // what the command line prints (the JSON and the text report) is as before
        JsonNode json = Json.mapper().readTree(reports.directory().resolve(now.id() + ".json").toFile());
        assertThat(json.has("consoleWords")).isFalse();
        assertThat(json.get("hint").asText()).isEqualTo(hint);
        assertThat(json.get("notes").get(0).asText()).isEqualTo(note);
        assertThat(Json.mapper().writeValueAsString(now)).doesNotContain("Discard sandbox");
        assertThat(RestoreReports.text(now)).contains(note).doesNotContain("Discard sandbox");
        assertThat(reports.directory().resolve(old.id() + ".console")).doesNotExist();
    }

    static RestoreReport report(String id, String note, String hint) {
        Instant t = Instant.parse("2026-12-06T01:00:00Z");
        return new RestoreReport(id, RestoreReport.FAILED, RestoreMode.REHEARSAL, "backup_20261206_000000", "latest", null, "/tmp/s/data",
                54321, false, t, t.plusSeconds(5), List.of(), null, null, List.of(), Map.of(), null, 0, 0, "/tmp/s/server.log", "/tmp/s",
                Map.of(), false, List.of(note), "rollback incomplete", hint);
    }
}
