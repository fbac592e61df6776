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

    /** The target and mode options come from shared option classes: each is listed once, not once per class that brings it in. */
    @ParameterizedTest
    @CsvSource({"restore,run", "restore,plan", "restore,check"})
    void everyOptionOfAVerbIsListedOnce(String group, String verb) {
        CliRunner.Result r = CliRunner.run(Map.of(), group, verb, "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.List<String> optionLines = r.out().lines().filter(l -> l.matches(" {2}-\\w, --[a-z].*| {6}--[a-z].*"))
                .map(l -> l.trim().split("[ =]")[0].replace(",", "")).toList();
        assertThat(optionLines).contains("--latest", "--help").doesNotHaveDuplicates();
    }
}
