package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 'archiving generate|apply' on a real pgBackRest stanza whose cluster still archives elsewhere:
 * generate shows pgBackRest's archive-push and no script to install; apply sets it, and a
 * switched segment then arrives in the stanza through pgBackRest.
 */
class PgBackRestArchivingTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static PgBackRestStanza stanza;
    private static Path cacheHome;

    @BeforeAll
    static void stanzaNotYetArchivedInto() throws Exception {
        cacheHome = Files.createTempDirectory("pitr-pgbr-cache-");
        stanza = PgBackRestStanza.createOnly(pg.cluster(), "apply", Map.of());
    }

    @AfterAll
    static void removeStanza() throws Exception {
        if (stanza != null) {
            stanza.close();
        }
        if (cacheHome != null) {
            FileTrees.deleteRecursively(cacheHome);
        }
    }

    private static Map<String, String> env() {
        return PgBackRestStanza.cliEnv(cacheHome);
    }

    private static String[] withCluster(String... args) {
        return stanza.cliArgs(pg.cluster(), args);
    }

    @Test
    void generateNamesPgBackRestsArchivePushAndApplySetsItSoSegmentsArriveInTheStanza() throws Exception {
        String archivePush = PgBackRestStanza.PROGRAM + " --config=" + stanza.config() + " --stanza=" + stanza.name() + " archive-push %p";

        CliRunner.Result generated = CliRunner.run(env(), withCluster("archiving", "generate"));
        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("archive_command = '" + archivePush + "'")
                .doesNotContain("installed by 'archiving apply'").contains("installs nothing");
        CliRunner.Result scriptOnly = CliRunner.run(env(), withCluster("archiving", "generate", "--script-only"));
        assertThat(scriptOnly.exit()).isEqualTo(1);
        assertThat(scriptOnly.err()).contains("no archive_command script", "hint:");
        assertThat(scriptOnly.noStackTrace()).isTrue();

        CliRunner.Result applied = CliRunner.run(env(), withCluster("archiving", "apply"));

        assertThat(applied.exit()).as(applied.out() + applied.err()).isZero();
        assertThat(pg.cluster().queryOne("SHOW archive_command")).isEqualTo(archivePush);
        String segment = stanza.switchWalAndWaitArchived(Duration.ofSeconds(60));
        assertThat(stanza.segmentFile(segment)).isRegularFile();
    }
}
