package io.pitrconsole.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.config.Profile;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.encryption.EncryptionKeyNeeded;
import io.pitrconsole.ui.EncryptedArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a profile's repository is encrypted, as both faces ask it ({@link ClusterServices#encryption()})
 * and as Settings' "Test archive" tries it: real archives written through the repository seam, the real age.
 */
class ClusterServicesEncryptionTest {
    @TempDir
    Path dir;
    private EncryptedArchives archives;
    private String fingerprint;

    @BeforeEach
    void keys() {
        archives = new EncryptedArchives(dir);
        fingerprint = archives.key().fingerprint().value();
    }

    private EncryptionState stateOf(Path archive, Path keyFile) {
        Profile p = new Profile("p", "127.0.0.1", 1, null, null, null, null, archive.toString(), null, null, null, null,
                keyFile == null ? null : keyFile.toString());
        try (ClusterServices s = ClusterServices.forConsole(p, archives.env())) {
            return s.encryption();
        }
    }

    @Test
    void aPlainArchiveIsNotEncrypted() throws IOException {
        EncryptionState s = stateOf(archives.plain("plain"), null);
        assertThat(s.kind()).isEqualTo(EncryptionState.Kind.PLAIN);
        assertThat(s.encrypted()).isFalse();
        assertThat(s.describe()).isEqualTo("Not encrypted");
    }

    @Test
    void anEncryptedArchiveWithItsKeyNamesTheFingerprintAndTheKeyFile() throws IOException {
        EncryptionState s = stateOf(archives.encrypted("enc"), archives.key().file());
        assertThat(s.kind()).isEqualTo(EncryptionState.Kind.AGE);
        assertThat(s.describe()).isEqualTo("Encrypted with age, key fingerprint " + fingerprint);
        assertThat(s.keyFile()).contains(archives.key().file());
        assertThat(s.recorded()).isTrue();
    }

    @Test
    void withoutTheKeyOrWithAnotherTheStateSaysWhichKeyIsNeededInsteadOfFailing() throws IOException {
        Path archive = archives.encrypted("enc");
        EncryptionState none = stateOf(archive, null);
        assertThat(none.kind()).isEqualTo(EncryptionState.Kind.KEY_NEEDED);
        assertThat(none.fingerprint()).contains(fingerprint);
        assertThat(none.keyNeeded().orElseThrow().getMessage()).contains("is encrypted (key fingerprint " + fingerprint + ") and no key was given");
        assertThat(none.keyNeeded().orElseThrow().consoleHint()).contains("Settings").contains(fingerprint);

        EncryptionState wrong = stateOf(archive, archives.otherKey().file());
        assertThat(wrong.kind()).isEqualTo(EncryptionState.Kind.KEY_NEEDED);
        assertThat(wrong.keyNeeded().orElseThrow().getMessage()).contains("encrypted with the key of fingerprint " + fingerprint)
                .contains(archives.otherKey().fingerprint().value());
    }

    @Test
    void anEmptyArchiveWithAKeyIsEncryptedFromItsFirstFile() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        EncryptionState s = stateOf(empty, archives.key().file());
        assertThat(s.kind()).isEqualTo(EncryptionState.Kind.AGE);
        assertThat(s.recorded()).isFalse();
        assertThat(s.describe()).isEqualTo("Encrypted with age from its first file, key fingerprint " + fingerprint);
        assertThat(Files.exists(empty.resolve(".pitr").resolve("encryption.json"))).as("asking writes nothing").isFalse();
    }

    @Test
    void tryingAnArchiveSaysHowItIsEncryptedOrWhichKeyItNeeds() throws IOException {
        Path archive = archives.encrypted("enc");
        RepositoryReach reach = ClusterServices.tryRepository(archive.toString(), S3Options.NONE, archives.key().file().toString(), archives.env());
        assertThat(reach.describe()).isEqualTo("Reached " + archive + ": 1 backup, 2 WAL files archived; encrypted, key fingerprint " + fingerprint);

        assertThatThrownBy(() -> ClusterServices.tryRepository(archive.toString(), S3Options.NONE, " ", archives.env()))
                .isInstanceOf(EncryptionKeyNeeded.class)
                .hasMessageContaining("is encrypted (key fingerprint " + fingerprint + ") and no key was given");
        assertThatThrownBy(() -> ClusterServices.tryRepository(archive.toString(), S3Options.NONE, archives.otherKey().file().toString(),
                archives.env())).isInstanceOf(EncryptionKeyNeeded.class)
                .hasMessageContaining("encrypted with the key of fingerprint " + fingerprint)
                .hasMessageContaining("has fingerprint " + archives.otherKey().fingerprint());

        Path plain = archives.plain("plain");
        assertThat(ClusterServices.tryRepository(plain.toString(), S3Options.NONE, null, archives.env()).describe())
                .isEqualTo("Reached " + plain + ": 1 backup, 2 WAL files archived");
    }
}
