package io.pitrconsole.repository.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.PgBackRestStanza;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What 'pgbackrest info --output=json' says, in the shape pgBackRest 2.45 prints it (copied from
 * real runs), read into records and errors: the cases a test stanza cannot easily be brought into.
 */
class PgBackRestInfoTest {
    private static final PgBackRestStanza MAIN = new PgBackRestStanza("main", Optional.empty(), OptionalInt.empty());

    private static String info(String backupError, int code, String message, String cipher) {
        return ("[{\"archive\":[{\"database\":{\"id\":1,\"repo-key\":1},\"id\":\"15-1\",\"max\":\"000000010000000000000004\","
                + "\"min\":\"000000010000000000000001\"}],\"backup\":[{\"archive\":{\"start\":\"000000010000000000000002\","
                + "\"stop\":\"000000010000000000000002\"},\"backrest\":{\"format\":5,\"version\":\"2.45\"},\"database\":{\"id\":1,\"repo-key\":1},"
                + "\"error\":%s,\"info\":{\"delta\":22992549,\"repository\":{\"delta\":3043456,\"size\":3043456},\"size\":22992549},"
                + "\"label\":\"20261206-070222F\",\"lsn\":{\"start\":\"0/2000028\",\"stop\":\"0/2000100\"},\"prior\":null,\"reference\":null,"
                + "\"timestamp\":{\"start\":1796540542,\"stop\":1796540545},\"type\":\"full\"}],\"cipher\":\"%s\",\"db\":[{\"id\":1,\"repo-key\":1,"
                + "\"system-id\":7716082868892509035,\"version\":\"15\"}],\"name\":\"main\",\"repo\":[{\"cipher\":\"%s\",\"key\":1,\"status\":"
                + "{\"code\":%d,\"message\":\"%s\"}}],\"status\":{\"code\":%d,\"lock\":{\"backup\":{\"held\":true}},\"message\":\"%s\"}}]")
                .formatted(backupError, cipher, cipher, code, message, code, message);
    }

    @Test
    void aSetPgBackRestTookWithErrorsIsCorruptAndSaysWhy(@TempDir Path cache) throws Exception {
        PgBackRestInfo i = PgBackRestInfo.parse(MAIN, info("true", 0, "ok", "none"));
        assertThat(i.backupLockHeld()).isTrue();
        PgBackRestCommands commands = PgBackRestCommands.open(MAIN, Map.of("PATH", "/usr/bin:/bin"));
        PgBackRestBackupStore store = new PgBackRestBackupStore(commands, () -> i, cache.resolve("verifications.json"));

        JsonNode r = Json.mapper().readTree(store.readRecord("20261206-070222F").orElseThrow());
        assertThat(r.path("status").asText()).isEqualTo("corrupt");
        assertThat(r.path("error").asText()).contains("page checksum errors").contains("info --set 20261206-070222F");
        assertThat(r.path("systemIdentifier").asText()).isEqualTo("7716082868892509035");
        assertThat(r.path("timeline").asInt()).isEqualTo(1);
        assertThat(r.path("stopTime").asText()).isEqualTo("2026-12-06T07:02:25Z");

        // a later verification that found nothing does not make it usable
        store.writeRecord("20261206-070222F", Json.mapper().writeValueAsBytes(Map.of("id", "20261206-070222F", "status", "verified",
                "lastVerified", "2026-12-06T08:00:00Z", "verifyDetail", "all 964 files valid (pgbackrest verify)")));
        JsonNode after = Json.mapper().readTree(store.readRecord("20261206-070222F").orElseThrow());
        assertThat(after.path("status").asText()).isEqualTo("corrupt");
        assertThat(after.path("lastVerified").asText()).isEqualTo("2026-12-06T08:00:00Z");
    }

    @Test
    void aRepositoryInErrorIsSaidWithPgBackRestsWordsAndAHint() {
        PgBackRestInfo missing = PgBackRestInfo.parse(MAIN, info("false", 1, "missing stanza path", "none"));
        assertThatThrownBy(() -> missing.requireReadable(MAIN)).isInstanceOf(PitrException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("missing stanza path");

        PgBackRestInfo other = PgBackRestInfo.parse(MAIN, info("false", 99, "[PathOpenError] unable to list file info for path", "none"));
        assertThatThrownBy(() -> other.requireReadable(MAIN)).isInstanceOf(PitrException.class)
                .hasMessageContaining("in error: [PathOpenError]")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("pgbackrest --stanza=main check"));

        // a wrong passphrase decrypts to garbage, which pgBackRest repeats unescaped
        PgBackRestInfo garbled = PgBackRestInfo.parse(MAIN, info("false", 99, "[FormatError] key/value found outside of section: \u0013\u0001", "aes-256-cbc"));
        assertThatThrownBy(() -> garbled.requireReadable(MAIN)).isInstanceOf(PitrException.class)
                .hasMessageContaining("is encrypted and pgBackRest cannot decrypt it");

        PgBackRestInfo noBackups = PgBackRestInfo.parse(MAIN, info("false", 2, "no valid backups", "none"));
        noBackups.requireReadable(MAIN);
    }
}
