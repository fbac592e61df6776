package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.pitrconsole.core.PitrException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the tar files of a base backup are compressed (client-side, by pg_basebackup). */
public enum Compression {
    NONE("none", ".tar"),
    GZIP("gzip", ".tar.gz"),
    LZ4("lz4", ".tar.lz4"),
    ZSTD("zstd", ".tar.zst");

    private final String name;
    private final String tarSuffix;

    Compression(String name, String tarSuffix) {
        this.name = name;
        this.tarSuffix = tarSuffix;
    }

    @JsonCreator
    public static Compression parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "none", "" -> NONE;
            case "gzip", "gz" -> GZIP;
            case "lz4" -> LZ4;
            case "zstd", "zst" -> ZSTD;
            default -> throw new PitrException("unknown compression '" + text + "'", "use one of: zstd, lz4, gzip, none");
        };
    }

    /** The compression a tar file name says it has, if it is a tar at all. */
    public static Optional<Compression> ofTarFile(String fileName) {
        return Arrays.stream(values()).filter(c -> c != NONE).filter(c -> fileName.endsWith(c.tarSuffix)).findFirst()
                .or(() -> fileName.endsWith(".tar") ? Optional.of(NONE) : Optional.empty());
    }

    /** The pg_basebackup --compress value (client-side, so the server's CPU is spared). */
    public String basebackupOption() {
        return this == NONE ? "none" : "client-" + name;
    }

    public String tarSuffix() {
        return tarSuffix;
    }

    @JsonValue
    public String label() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
