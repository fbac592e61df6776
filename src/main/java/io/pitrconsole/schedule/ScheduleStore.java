package io.pitrconsole.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import java.io.IOException;
import java.util.Optional;

/** Reads and writes the repository's schedule (backup_schedule.json); a missing one means the defaults. */
public final class ScheduleStore {
    private final Repository repository;
    private final ObjectMapper json = Json.mapper();

    public ScheduleStore(Repository repository) {
        this.repository = repository;
    }

    /** Where the schedule is kept, for messages. */
    public String where() {
        return repository.where(RepositoryDocument.SCHEDULE);
    }

    /** The archive's schedule, or the defaults when it has none yet. */
    public ScheduleConfig load() {
        try {
            Optional<byte[]> stored = repository.read(RepositoryDocument.SCHEDULE);
            return stored.isEmpty() ? ScheduleConfig.defaults() : json.readValue(stored.get(), ScheduleConfig.class).validated();
        } catch (JsonProcessingException e) {
            throw new PitrException(where() + " does not parse: " + e.getOriginalMessage(),
                    "fix the file, or remove it to start again from the defaults");
        } catch (IOException e) {
            throw new PitrException("cannot read " + where() + ": " + e.getMessage(), "check its permissions");
        }
    }

    /** Writes the defaults when the archive has no schedule file yet; returns what is in effect. */
    public ScheduleConfig loadOrCreate() {
        ScheduleConfig c = load();
        try {
            if (repository.read(RepositoryDocument.SCHEDULE).isEmpty()) {
                save(c);
            }
        } catch (IOException e) {
            throw new PitrException("cannot read " + where() + ": " + e.getMessage(), "check its permissions");
        }
        return c;
    }

    /** Writes the schedule atomically. */
    public void save(ScheduleConfig config) {
        try {
            repository.write(RepositoryDocument.SCHEDULE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(config.validated()));
        } catch (IOException e) {
            throw new PitrException("cannot write " + where() + ": " + e.getMessage(),
                    "check free space and permissions in " + repository.location());
        }
    }
}
