package io.pitrconsole.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** profiles.json as earlier versions wrote it still reads, and older key files are kept only when there are some. */
class ProfileStoreTest {
    @TempDir
    Path dir;

    @Test
    void aProfilesFileWrittenBeforeOlderKeyFilesReadsWithNone() throws Exception {
        Path file = dir.resolve("profiles.json");
        // as the console wrote it before profiles held older key files
        Files.writeString(file, """
                {"defaultProfile":"prod","profiles":[
                  {"name":"prod","host":"db1","port":5433,"archive":"/srv/archive","encryptionKeyFile":"/etc/pitr/archive.key"},
                  {"name":"plain","archive":"s3://bucket/prefix","s3PathStyle":false}
                ]}
                """);
        ProfileStore store = new ProfileStore(file);
        Profile prod = store.find("prod").orElseThrow();
        assertThat(prod.encryptionKeyFile()).isEqualTo("/etc/pitr/archive.key");
        assertThat(prod.encryptionOldKeyFiles()).isEmpty();
        assertThat(store.find("plain").orElseThrow().encryptionOldKeyFiles()).isEmpty();

        // saved again, a profile without older keys gains no field
        store.put(prod, false);
        assertThat(Files.readString(file)).doesNotContain("encryptionOldKeyFiles").contains("\"s3PathStyle\" : false");
        assertThat(store.find("prod").orElseThrow()).isEqualTo(prod);
    }

    @Test
    void olderKeyFilesAreSavedInOrderAndReadBack() {
        ProfileStore store = new ProfileStore(dir.resolve("profiles.json"));
        Profile p = new Profile("prod", null, null, null, null, null, null, "/srv/archive", null).withEncryptionKeyFile("/k/new.key")
                .withEncryptionOldKeyFiles(List.of("/k/old2.key", "/k/old1.key"));
        store.put(p, true);
        Profile read = store.find("prod").orElseThrow();
        assertThat(read.encryptionOldKeyFiles()).containsExactly("/k/old2.key", "/k/old1.key");
        assertThat(read).isEqualTo(p);
    }
}
