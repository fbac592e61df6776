package io.pitrconsole.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;

/** Reads and writes DIR/backup_schedule.json; a missing file means the defaults. */
public final class ScheduleStore {
    private final ArchiveLayout layout;
    private final ObjectMapper json = Json.mapper();

    public ScheduleStore(ArchiveLayout layout) {
        this.layout = layout;
    }

    /** The archive's schedule, or the defaults when it has none yet. */
    public ScheduleConfig load() {
        if (!Files.exists(layout.scheduleFile())) {
            return ScheduleConfig.defaults();
        }
        try {
            return json.readValue(layout.scheduleFile().toFile(), ScheduleConfig.class).validated();
        } catch (JsonProcessingException e) {
            throw new PitrException(layout.scheduleFile() + " does not parse: " + e.getOriginalMessage(),
                    "fix the file, or remove it to start again from the defaults");
        } catch (IOException e) {
            throw new PitrException("cannot read " + layout.scheduleFile() + ": " + e.getMessage(), "check its permissions");
        }
    }

    /** Writes the defaults when the archive has no schedule file yet; returns what is in effect. */
    public ScheduleConfig loadOrCreate() {
        ScheduleConfig c = load();
        if (!Files.exists(layout.scheduleFile())) {
            save(c);
        }
        return c;
    }

    /** Writes the schedule atomically. */
    public void save(ScheduleConfig config) {
        try {
            AtomicFiles.write(layout.scheduleFile(), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(config.validated()));
        } catch (IOException e) {
            throw new PitrException("cannot write " + layout.scheduleFile() + ": " + e.getMessage(),
                    "check free space and permissions in " + layout.root());
        }
    }
}
