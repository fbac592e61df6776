package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.ui.EncryptedArchives;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line after `key add` (the real verb, real age keys): a profile that lists the older
 * key file reads the archive with both keys, one that does not is refused naming the older key's
 * fingerprint, and --encryption-old-key-file goes over the profile's list.
 */
class ProfileOlderKeysCliTest {
    @TempDir
    static Path tmp;
    private static EncryptedArchives archives;
    private static Path archive;
    private static Map<String, String> env;

    @BeforeAll
    static void rekeyed() throws Exception {
        archives = new EncryptedArchives(tmp);
        archive = archives.encrypted("archive");
        env = new HashMap<>(archives.env());
        Result add = run("key", "add", "--archive", archive.toString(), "--encryption-key-file", archives.key().file().toString(),
                "--new-key-file", archives.newKey().file().toString());
        assertThat(add.exit()).as(add.err()).isZero();
    }

    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PitrCli.run(args, new HashMap<>(env), new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(new byte[0]));
        return new Result(code, out.toString(), err.toString());
    }

    private static void profile(String name, List<Path> older) {
        ProfileStore.standard(env).put(new Profile(name, "127.0.0.1", 1, null, null, null, null, archive.toString(), null, null, null, null,
                archives.newKey().file().toString(), older.stream().map(Path::toString).toList()), false);
    }

    @Test
    void aProfileWithTheOlderKeyFileListsTheArchive() {
        profile("both", List.of(archives.key().file()));
        Result r = run("backup", "list", "--profile", "both");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(EncryptedArchives.BACKUP);
    }

    @Test
    void aProfileWithoutItIsRefusedNamingTheOlderKeysFingerprint() {
        profile("new-only", List.of());
        Result r = run("backup", "list", "--profile", "new-only");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("older key " + archives.key().fingerprint(), "encryptionOldKeyFiles", "hint: ").doesNotContain("\tat ");
    }

    @Test
    void theFlagsOlderKeysGoOverTheProfiles() {
        profile("both-flagged", List.of(archives.key().file()));
        Result other = run("backup", "list", "--profile", "both-flagged", "--encryption-old-key-file", archives.otherKey().file().toString());
        assertThat(other.exit()).isNotZero();
        assertThat(other.err()).contains("older key " + archives.key().fingerprint());
        profile("new-only-flagged", List.of());
        Result flagged = run("backup", "list", "--profile", "new-only-flagged", "--encryption-old-key-file", archives.key().file().toString());
        assertThat(flagged.exit()).as(flagged.err()).isZero();
        assertThat(flagged.out()).contains(EncryptedArchives.BACKUP);
    }
}
