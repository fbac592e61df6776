package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.repository.local.LocalRestoreCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverySettingsTest {
    @TempDir
    Path tmp;

    private int runRestoreCommand(Path archive, String file, Path into) throws Exception {
        // The server substitutes %f and %p and runs the result with /bin/sh, as here.
        String cmd = LocalRestoreCommand.of(archive, Optional.empty()).replace("%f", file).replace("%p", into.toString());
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void restoreCommandFetchesPlainGzipAndZstdSegmentsAndFailsForMissingOnes() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("wal_archive"));
        byte[] plain = "plain segment".getBytes();
        byte[] gz = "gzip segment".getBytes();
        byte[] zst = "zstd segment".getBytes();
        Files.write(archive.resolve("000000010000000000000001"), plain);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive.resolve("000000010000000000000002.gz")))) {
            out.write(gz);
        }
        Files.write(archive.resolve("000000010000000000000003.zst"), Zstd.compress(zst));
        Path target = tmp.resolve("RECOVERYXLOG");

        assertThat(runRestoreCommand(archive, "000000010000000000000001", target)).isZero();
        assertThat(target).hasBinaryContent(plain);
        assertThat(runRestoreCommand(archive, "000000010000000000000002", target)).isZero();
        assertThat(target).hasBinaryContent(gz);
        assertThat(runRestoreCommand(archive, "000000010000000000000003", target)).isZero();
        assertThat(target).hasBinaryContent(zst);
        assertThat(runRestoreCommand(archive, "000000010000000000000004", target)).isNotZero();
        assertThat(runRestoreCommand(archive, "00000002.history", target)).isNotZero();
    }

    @Test
    void restoreCommandMovesAStagedCopyIntoPlaceAndOtherwiseReadsTheArchive() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("wal_archive"));
        Path staged = Files.createDirectories(tmp.resolve("wal-ahead"));
        byte[] fromArchive = "archived segment".getBytes();
        byte[] stagedCopy = "staged segment".getBytes();
        Files.write(archive.resolve("000000010000000000000001"), fromArchive);
        Files.write(archive.resolve("000000010000000000000002.zst"), Zstd.compress(fromArchive));
        Files.write(staged.resolve("000000010000000000000002"), stagedCopy);
        Path target = tmp.resolve("RECOVERYXLOG");

        assertThat(runRestoreCommand(archive, staged, "000000010000000000000002", target)).isZero();
        assertThat(target).hasBinaryContent(stagedCopy);
        // taken, not copied: the staged directory holds only what the server has yet to ask for
        assertThat(staged.resolve("000000010000000000000002")).doesNotExist();
        assertThat(runRestoreCommand(archive, staged, "000000010000000000000002", target)).isZero();
        assertThat(target).hasBinaryContent(fromArchive);
        assertThat(runRestoreCommand(archive, staged, "000000010000000000000001", target)).isZero();
        assertThat(target).hasBinaryContent(fromArchive);
        assertThat(runRestoreCommand(archive, staged, "000000010000000000000003", target)).isNotZero();
        assertThat(runRestoreCommand(archive, staged, "00000002.history", target)).isNotZero();
        Files.delete(archive.resolve("000000010000000000000001"));
        assertThat(runRestoreCommand(archive, staged, "000000010000000000000001", target)).isNotZero();
        // a staging directory that is gone (removed after recovery) leaves the archive to answer
        Files.delete(staged);
        assertThat(runRestoreCommand(archive, staged, "000000010000000000000002", target)).isZero();
        assertThat(target).hasBinaryContent(fromArchive);
    }

    private int runRestoreCommand(Path archive, Path staged, String file, Path into) throws Exception {
        String cmd = LocalRestoreCommand.of(archive, Optional.of(staged)).replace("%f", file).replace("%p", into.toString());
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void corruptCompressedSegmentMakesTheCommandFail() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("wal_archive"));
        Files.write(archive.resolve("000000010000000000000005.gz"), "not gzip at all".getBytes());

        assertThat(runRestoreCommand(archive, "000000010000000000000005", tmp.resolve("x"))).isNotZero();
    }

    @Test
    void writerAppendsOneBlockAfterExistingSettingsAndReplacesItOnRewrite() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("postgresql.auto.conf"), "# Do not edit this file manually!\nwork_mem = '8MB'\n");
        Path archive = tmp.resolve("wal_archive");
        RecoveryTarget target = RecoveryTarget.name("rp'1").onTimeline(1);

        new RecoverySettingsWriter().write(data, RecoverySettings.of(target, LocalDirectoryRepository.at(tmp).wal(), Optional.empty(), RecoverySettings.Action.PROMOTE,
                Map.of("port", "6543")), "r1");
        new RecoverySettingsWriter().write(data, RecoverySettings.of(target, LocalDirectoryRepository.at(tmp).wal(), Optional.empty(), RecoverySettings.Action.PAUSE,
                Map.of("port", "6544")), "r2");

        String conf = Files.readString(data.resolve("postgresql.auto.conf"));
        assertThat(conf).startsWith("# Do not edit this file manually!\nwork_mem = '8MB'\n");
        assertThat(conf).containsOnlyOnce(RecoverySettingsWriter.BEGIN).contains("(restore r2)")
                .contains("recovery_target_name = 'rp''1'").contains("recovery_target_timeline = '1'")
                .contains("recovery_target_action = 'pause'").contains("port = '6544'").doesNotContain("6543");
        assertThat(data.resolve("recovery.signal")).exists();
    }
}
