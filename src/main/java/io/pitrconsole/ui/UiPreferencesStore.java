package io.pitrconsole.ui;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes ui.json beside profiles.json; a damaged file falls back to the defaults. */
public final class UiPreferencesStore {
    private static final Logger LOG = LoggerFactory.getLogger(UiPreferencesStore.class);
    private final Path file;

    public UiPreferencesStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public UiPreferences load() {
        if (!Files.exists(file)) {
            return UiPreferences.defaults();
        }
        try {
            return Json.mapper().readValue(file.toFile(), UiPreferences.class).completed();
        } catch (IOException e) {
            // window geometry is not worth refusing to start over; say so in the log
            LOG.warn("ignoring unreadable {}: {}", file, e.getMessage());
            return UiPreferences.defaults();
        }
    }

    public void save(UiPreferences prefs) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(prefs));
        } catch (IOException e) {
            LOG.warn("cannot save {}: {}", file, e.getMessage());
        }
    }
}
