package io.pitrconsole.schedule;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A crontab kept in a file (for tests, or a spool the user manages); written atomically. */
public record CrontabFile(Path file) implements CrontabStore {
    @Override
    public String read() {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new PitrException("cannot read " + file + ": " + e.getMessage(), "check its permissions");
        }
    }

    @Override
    public void write(String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PitrException("cannot write " + file + ": " + e.getMessage(), "check its permissions");
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
