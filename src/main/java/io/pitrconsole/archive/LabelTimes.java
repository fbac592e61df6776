package io.pitrconsole.archive;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Reads the times in backup_label and .backup files. The server writes them as
 * "YYYY-MM-DD HH:MM:SS ZONE" with ZONE an abbreviation of its log_timezone (e.g. "UTC", "CET").
 * Abbreviations are ambiguous, so the server's zone id, when known, decides.
 */
final class LabelTimes {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private LabelTimes() {
    }

    static Optional<Instant> parse(String text, Optional<ZoneId> serverZone) {
        if (text == null || text.length() < 19) {
            return Optional.empty();
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text.substring(0, 19), LOCAL);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String abbrev = text.substring(19).trim();
        if (serverZone.isPresent()) {
            return Optional.of(local.atZone(serverZone.get()).toInstant());
        }
        if (abbrev.isEmpty() || abbrev.equals("UTC") || abbrev.equals("GMT") || abbrev.equals("Z")) {
            return Optional.of(local.toInstant(ZoneOffset.UTC));
        }
        try {
            return Optional.of(local.atZone(ZoneId.of(abbrev, ZoneId.SHORT_IDS)).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
