package io.pitrconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.Repository;
import io.pitrconsole.session.ClusterServices;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A verb opens its repository once, whatever number of services it asks for, and releases it when it ends. */
class VerbRepositoryTest {
    /** A verb that asks for several services, as 'restore list' or 'wal status' do. */
    static final class Several extends Verb {
        final List<Repository> seen = new ArrayList<>();
        ClusterServices services;

        Several(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            services = services();
            services().backups();
            seen.add(repository());
            services().windows();
            seen.add(services().repository());
            seen.add(repository());
            return 0;
        }
    }

    @Test
    void oneRepositoryPerRunReleasedAtItsEnd(@TempDir Path dir) throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Several verb = new Several(new CliContext(Map.of("XDG_CONFIG_HOME", dir.toString()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0])));
        new CommandLine(verb).parseArgs("--archive", archive.toString());
        assertThat(verb.call()).isZero();
        assertThat(verb.seen).hasSize(3).doesNotContainNull();
        assertThat(verb.seen.get(1)).isSameAs(verb.seen.get(0));
        assertThat(verb.seen.get(2)).isSameAs(verb.seen.get(0));
        // closed at the end: asked again, it is opened anew
        assertThat(verb.services.repository()).isNotSameAs(verb.seen.get(0));
    }
}
