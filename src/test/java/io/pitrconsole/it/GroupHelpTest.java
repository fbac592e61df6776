package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every verb group answers --help with its verbs, as the error hints tell users to try. */
class GroupHelpTest {
    @ParameterizedTest
    @CsvSource({"backup,create", "restore,plan", "archiving,verify", "schedule,install", "wal,status"})
    void groupHelpListsItsVerbs(String group, String verb) {
        CliRunner.Result r = CliRunner.run(Map.of(), group, "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Usage: pitr-console " + group).contains(verb);
    }
}
