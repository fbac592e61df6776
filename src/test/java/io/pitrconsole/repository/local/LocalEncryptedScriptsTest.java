package io.pitrconsole.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.SearchPath;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.ServerEncryption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypting archive_command script and the decrypting restore_command of a directory repository, run by /bin/sh with the real age. */
class LocalEncryptedScriptsTest {
    private static final String MARKER = "MARKER-7f3a-not-to-be-stored";
    private static final String SEGMENT = "000000010000000000000003";

    @TempDir
    Path tmp;
    private Path age;
    private Path archive;
    private Path key;
    private String recipient;
    private LocalWalStore store;

    @BeforeEach
    void setUp() throws Exception {
        age = SearchPath.find(System.getenv("PATH"), "age").orElseThrow();
        key = tmp.resolve("repo.key");
        recipient = keygen(key);
        archive = Files.createDirectories(tmp.resolve("archive"));
        store = new LocalWalStore(new ArchiveLayout(archive));
    }

    private String keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("age-keygen", "-o", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("Public key: ")).findFirst().orElseThrow().substring("Public key: ".length());
    }

    private ServerEncryption encryption(Path... keyFiles) {
        return new ServerEncryption(age, List.of(recipient), List.of(keyFiles));
    }

    private byte[] segmentBytes(long seed) {
        byte[] b = new byte[300_000];
        new Random(seed).nextBytes(b);
        byte[] m = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at + m.length < b.length; at += 50_000) {
            System.arraycopy(m, 0, b, at, m.length);
        }
        return b;
    }

    record Run(int exit, String output) {
    }

    private static Run sh(String command, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/sh", "-c", command, "sh"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private Run restore(String restoreCommand, String name, Path into) throws Exception {
        // the server substitutes %f and %p and runs the result with /bin/sh
        return sh(restoreCommand.replace("%f", name).replace("%p", into.toString()));
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private List<Path> walFiles() throws IOException {
        try (Stream<Path> s = Files.list(archive.resolve("wal_archive"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void archivesEncryptedWithEachCompressionAndTheRestoreCommandGivesThePlainSegmentBack() throws Exception {
        ArchiveCommand command = store.archiveCommand().encrypting(encryption(key));
        String restoreCommand = store.restoreCommand(Optional.empty(), encryption(key));
        String[][] cases = {{"none", ""}, {"gzip", ".gz"}, {"zstd", ".zst"}};
        int i = 3;
        for (String[] c : cases) {
            command.install(c[0]);
            assertThat(Files.readString(command.script())).doesNotContain("@@").doesNotContain("\nAGE=''\n");
            String name = String.format("%024X", i++);
            byte[] plain = segmentBytes(i);
            Path source = Files.write(tmp.resolve("src-" + name), plain);
            Run r = sh(command.setting().replace("%p", source.toString()).replace("%f", name));
            assertThat(r.exit()).as(r.output()).isZero();
            Path stored = archive.resolve("wal_archive").resolve(name + c[1]);
            assertThat(stored).isRegularFile();
            byte[] sealed = Files.readAllBytes(stored);
            assertThat(new String(sealed, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
            assertThat(contains(sealed, MARKER)).isFalse();

            Path into = tmp.resolve("pg_wal-" + name);
            Run back = restore(restoreCommand, name, into);
            assertThat(back.exit()).as(back.output()).isZero();
            assertThat(into).hasBinaryContent(plain);
        }
        // no temporary file of the script or of the restore_command is left, in the archive or beside %p
        assertThat(walFiles()).allMatch(p -> !p.getFileName().toString().contains(".tmp."));
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().contains("pitr-part")).toList()).isEmpty();
        }
        assertThat(restore(restoreCommand, "000000010000000000000009", tmp.resolve("missing")).exit()).isNotZero();
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    @Test
    void neverOverwritesAnIdenticalCopyCountsAsArchivedADifferentOneIsRefused() throws Exception {
        ArchiveCommand command = store.archiveCommand().encrypting(encryption(key));
        command.install("zstd");
        Path source = Files.write(tmp.resolve("src"), segmentBytes(1));
        String setting = command.setting().replace("%p", source.toString()).replace("%f", SEGMENT);
        assertThat(sh(setting).exit()).isZero();
        Path stored = archive.resolve("wal_archive").resolve(SEGMENT + ".zst");
        byte[] first = Files.readAllBytes(stored);

        Run again = sh(setting);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(stored).hasBinaryContent(first);

        // the same name with another compression is checked too: the plain script's rule
        command.install("none");
        assertThat(sh(setting).exit()).isZero();
        assertThat(archive.resolve("wal_archive").resolve(SEGMENT)).doesNotExist();

        Files.write(source, segmentBytes(2));
        Run different = sh(setting);
        assertThat(different.exit()).isNotZero();
        assertThat(different.output()).contains("refusing to overwrite", SEGMENT + ".zst");
        assertThat(stored).hasBinaryContent(first);
        assertThat(walFiles()).filteredOn(p -> !p.getFileName().toString().startsWith(".")).hasSize(1);

        // a stored copy that decrypts to the same bytes but was extended afterwards is damaged, not identical
        Files.write(source, segmentBytes(1));
        Files.write(stored, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Run extended = sh(setting);
        assertThat(extended.exit()).isNotZero();
        assertThat(extended.output()).contains("refusing to overwrite");
    }

    @Test
    void withoutTheKeyFileAnExistingCopyCannotBeComparedAndTheScriptSaysSoButNewFilesAreArchived() throws Exception {
        Path missingKey = tmp.resolve("nowhere.key");
        ArchiveCommand command = store.archiveCommand().encrypting(encryption(missingKey));
        command.install("none");
        Path source = Files.write(tmp.resolve("src"), segmentBytes(1));
        String setting = command.setting().replace("%p", source.toString()).replace("%f", SEGMENT);
        Run first = sh(setting);
        assertThat(first.exit()).as(first.output()).isZero();

        Run second = sh(setting);
        assertThat(second.exit()).isNotZero();
        assertThat(second.output()).contains("cannot read the key file " + missingKey, "already archived");
        // the script names the key file's path, never a key
        String script = Files.readString(command.script());
        assertThat(script).contains(recipient).doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void aTamperedOrForeignFileIsRefusedByTheRestoreCommandAndLeavesNothingAtItsTarget() throws Exception {
        ArchiveCommand command = store.archiveCommand().encrypting(encryption(key));
        command.install("none");
        Path source = Files.write(tmp.resolve("src"), segmentBytes(1));
        assertThat(sh(command.setting().replace("%p", source.toString()).replace("%f", SEGMENT)).exit()).isZero();
        Path stored = archive.resolve("wal_archive").resolve(SEGMENT);
        String restoreCommand = store.restoreCommand(Optional.empty(), encryption(key));

        byte[] sealed = Files.readAllBytes(stored);
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 100] ^= 0x01;
        Files.write(stored, flipped);
        Path into = tmp.resolve("RECOVERYXLOG");
        assertThat(restore(restoreCommand, SEGMENT, into).exit()).isNotZero();
        assertThat(into).doesNotExist();
        assertThat(tmp.resolve("RECOVERYXLOG.pitr-part")).doesNotExist();

        // an archived file that was encrypted to another key
        Path otherKey = tmp.resolve("other.key");
        keygen(otherKey);
        Files.write(stored, sealed);
        String withOther = store.restoreCommand(Optional.empty(), encryption(otherKey));
        Run r = restore(withOther, SEGMENT, into);
        assertThat(r.exit()).isNotZero();
        assertThat(into).doesNotExist();

        // and with the right key once more: the file is whole again
        assertThat(restore(restoreCommand, SEGMENT, into).exit()).isZero();
        assertThat(into).hasBinaryContent(Files.readAllBytes(source));
    }

    @Test
    void aKeyFilePathThatCannotGoIntoARestoreCommandIsRefusedWithAHint() throws Exception {
        Path spaced = Files.createDirectories(tmp.resolve("my keys")).resolve("repo.key");
        Files.copy(key, spaced);
        assertThatThrownBy(() -> store.restoreCommand(Optional.empty(), encryption(spaced)))
                .isInstanceOf(io.pitrconsole.core.PitrException.class)
                .hasMessageContaining("the key file path " + spaced)
                .satisfies(e -> assertThat(((io.pitrconsole.core.PitrException) e).hint()).contains("keep the key file in a directory"));
        // the archive script quotes it: archiving needs no such care
        ArchiveCommand command = store.archiveCommand().encrypting(encryption(spaced));
        command.install("none");
        Path source = Files.write(tmp.resolve("src"), segmentBytes(1));
        String setting = command.setting().replace("%p", source.toString()).replace("%f", SEGMENT);
        assertThat(sh(setting).exit()).isZero();
        Run again = sh(setting);
        assertThat(again.exit()).as(again.output()).isZero();
    }

    @Test
    void aStagedCopyIsPlainAndIsTakenFirst() throws Exception {
        Path staged = Files.createDirectories(tmp.resolve("wal-ahead"));
        Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rwx------"));
        byte[] plain = "staged plain segment".getBytes(StandardCharsets.US_ASCII);
        Files.write(staged.resolve(SEGMENT), plain);
        String restoreCommand = store.restoreCommand(Optional.of(staged), encryption(key));
        Path into = tmp.resolve("RECOVERYXLOG");
        assertThat(restore(restoreCommand, SEGMENT, into).exit()).isZero();
        assertThat(into).hasBinaryContent(plain);
        assertThat(staged.resolve(SEGMENT)).doesNotExist();
        assertThat(restore(restoreCommand, SEGMENT, into).exit()).isNotZero();
    }
}
