package io.pitrconsole.practice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.PgContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The practice cluster's hints name the 'demo' verbs on the command line, word for word as before,
 * and the practice card's buttons on the Dashboard in the console.
 */
class PracticeHintsTest {
    @TempDir
    Path tmp;

    private PracticeCluster practice() {
        return new PracticeCluster(new PracticeLayout(tmp.resolve("practice")), PgContext.fromEnvironment(),
                new ProfileStore(tmp.resolve("profiles.json")));
    }

    @Test
    void aTornStateFileSaysDemoRemoveOnTheCommandLineAndRemoveOnTheCardInTheConsole() throws Exception {
        PracticeCluster p = practice();
        Files.createDirectories(p.layout().base());
        Files.writeString(p.layout().stateFile(), "{\"port\": 54");

        PitrException e = catchThrowableOfType(p::status, PitrException.class);

        assertThat(e.hint()).isEqualTo("run 'demo remove' and create it again");
        assertThat(e.consoleHint()).isEqualTo("click Remove on the practice card on the Dashboard and create it again");
    }

    @Test
    void startingNoPracticeClusterSaysDemoOnTheCommandLineAndTheCreateButtonInTheConsole() {
        PitrException e = catchThrowableOfType(practice()::start, PitrException.class);

        assertThat(e.hint()).isEqualTo("create one with 'demo'");
        assertThat(e.consoleHint()).isEqualTo("create one with Create practice cluster on the Dashboard");
    }
}
