package io.pitrconsole.recovery.run;

import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes recovery settings into a restored data directory and drops recovery.signal beside them. */
public final class RecoverySettingsWriter {
    static final String BEGIN = "# BEGIN pitr-console restore settings";
    static final String END = "# END pitr-console restore settings";

    /** Appends the settings to postgresql.auto.conf (replacing an earlier block of ours) and creates recovery.signal. */
    public void write(Path dataDir, RecoverySettings settings, String restoreId) {
        Path auto = dataDir.resolve("postgresql.auto.conf");
        try {
            String old = Files.exists(auto) ? Files.readString(auto) : "";
            String kept = stripOurBlock(old);
            if (!kept.isEmpty() && !kept.endsWith("\n")) {
                kept += "\n";
            }
            // Later lines win in PostgreSQL's configuration files, so ours go last.
            String block = BEGIN + " (restore " + restoreId + ")\n" + settings.confLines() + END + "\n";
            AtomicFiles.write(auto, (kept + block).getBytes(StandardCharsets.UTF_8));
            Files.deleteIfExists(dataDir.resolve("standby.signal"));
            Files.write(dataDir.resolve("recovery.signal"), new byte[0]);
        } catch (IOException e) {
            throw new PitrException("could not write recovery settings into " + dataDir + ": " + e.getMessage(),
                    "check free space and permissions of the data directory");
        }
    }

    /** Removes our block from postgresql.auto.conf once a promoted server no longer needs it. */
    public void removeBlock(Path dataDir) {
        Path auto = dataDir.resolve("postgresql.auto.conf");
        try {
            if (Files.exists(auto)) {
                Files.writeString(auto, stripOurBlock(Files.readString(auto)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new PitrException("could not clean the restore settings out of " + auto + ": " + e.getMessage(),
                    "remove the block between '" + BEGIN + "' and '" + END + "' by hand");
        }
    }

    static String stripOurBlock(String conf) {
        int b = conf.indexOf(BEGIN);
        if (b < 0) {
            return conf;
        }
        int e = conf.indexOf(END, b);
        String after = e < 0 ? "" : conf.substring(conf.indexOf('\n', e) < 0 ? conf.length() : conf.indexOf('\n', e) + 1);
        return conf.substring(0, b) + after;
    }
}
