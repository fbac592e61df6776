package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.InMemoryRepository;
import io.pitrconsole.repository.RepositoryDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The schedule is one of the repository's documents: read, defaulted and written through the repository alone. */
class ScheduleStoreInMemoryTest {

    @Test
    void aRepositoryWithoutScheduleHasTheDefaultsAndGetsThemWrittenOnce() {
        InMemoryRepository repository = new InMemoryRepository(Path.of("/nonexistent-cache"));
        ScheduleStore store = new ScheduleStore(repository);
        assertThat(store.load()).isEqualTo(ScheduleConfig.defaults());
        assertThat(repository.read(RepositoryDocument.SCHEDULE)).isEmpty();

        assertThat(store.loadOrCreate()).isEqualTo(ScheduleConfig.defaults());
        assertThat(repository.read(RepositoryDocument.SCHEDULE)).isPresent();
        assertThat(store.load()).isEqualTo(ScheduleConfig.defaults());
    }

    @Test
    void aDamagedScheduleIsAnErrorNamingWhereItIs() {
        InMemoryRepository repository = new InMemoryRepository(Path.of("/nonexistent-cache"));
        repository.write(RepositoryDocument.SCHEDULE, "{ \"retention\": ".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new ScheduleStore(repository).load()).isInstanceOf(PitrException.class)
                .hasMessageStartingWith("memory:schedule does not parse");
    }
}
