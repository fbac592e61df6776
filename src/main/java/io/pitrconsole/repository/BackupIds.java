package io.pitrconsole.repository;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a backup id looks like in every kind of repository (backup_YYYYMMDD_HHMMSS, the original
 * scripts' directory names) and how a new one is chosen.
 */
public final class BackupIds {
    private static final Pattern ID = Pattern.compile("backup_\\d{8}_\\d{6}(_\\d+)?");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private BackupIds() {
    }

    /** True when the name is a backup id. */
    public static boolean isBackupId(String name) {
        return ID.matcher(name).matches();
    }

    /** The id itself, or a clear error when it is not one. */
    public static String require(String id) {
        if (!isBackupId(id)) {
            throw new PitrException("'" + id + "' is not a backup id",
                    Hint.of("backup ids look like backup_20261125_021500; 'backup list' shows them",
                            "backup ids look like backup_20261125_021500; the Backups page lists them"));
        }
        return id;
    }

    /** A fresh id from the given local time; a later second is used when the name is taken. */
    public static String next(LocalDateTime now, Predicate<String> taken, String hintWhenNoneFree) {
        LocalDateTime t = now.withNano(0);
        for (int i = 0; i < 3600; i++) {
            String id = "backup_" + ID_TIME.format(t.plusSeconds(i));
            if (!taken.test(id)) {
                return id;
            }
        }
        throw new PitrException("no free backup id near " + t, hintWhenNoneFree);
    }
}
