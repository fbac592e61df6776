package io.pitrconsole.archive;

import com.github.luben.zstd.ZstdInputStream;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.RegularFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/** Opens (compressed) tar files and WAL files as streams, picking the decompressor from the name. */
public final class TarStreams {
    private static final int BUFFER = 1 << 17;

    private TarStreams() {
    }

    /** A decompressing stream over a file, chosen by its suffix (.gz, .lz4, .zst, or plain). */
    public static InputStream decompressed(Path file) throws IOException {
        return decompressing(file.getFileName().toString(), new BufferedInputStream(RegularFiles.newInputStream(file), BUFFER));
    }

    /** Decompresses {@code raw} as a file of that name would be (by suffix); closes raw on failure. */
    public static InputStream decompressing(String name, InputStream raw) throws IOException {
        try {
            if (name.endsWith(".gz")) {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
            }
            if (name.endsWith(".lz4")) {
                return new BufferedInputStream(new FramedLZ4CompressorInputStream(raw, true), BUFFER);
            }
            if (name.endsWith(".zst")) {
                return new BufferedInputStream(new ZstdInputStream(raw), BUFFER);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * A tar reader for a glance at the first entries of a possibly compressed tar file: no
     * read-ahead buffers, which cost more than the few kilobytes read.
     */
    public static TarArchiveInputStream openTarHead(Path file) throws IOException {
        return openTarHead(file.getFileName().toString(), RegularFiles.newInputStream(file));
    }

    /** Like {@link #openTarHead(Path)}, over a stream of the file with that name (its suffix tells the compression). */
    public static TarArchiveInputStream openTarHead(String name, InputStream raw) throws IOException {
        try {
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 8192)
                    : name.endsWith(".lz4") ? new FramedLZ4CompressorInputStream(raw, true)
                    : name.endsWith(".zst") ? new ZstdInputStream(raw) : raw;
            return new TarArchiveInputStream(in, "UTF-8");
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** A tar reader over a stream of a possibly compressed tar file of that name; closes raw on failure. */
    public static TarArchiveInputStream openTar(String name, InputStream raw) throws IOException {
        return new TarArchiveInputStream(decompressing(name, new BufferedInputStream(raw, BUFFER)), "UTF-8");
    }

    /** A tar reader over a possibly compressed tar file. */
    public static TarArchiveInputStream openTar(Path file) {
        try {
            return new TarArchiveInputStream(decompressed(file), "UTF-8");
        } catch (IOException e) {
            throw new PitrException("cannot open " + file + ": " + e.getMessage(),
                    "the file is damaged or not a " + Compression.ofTarFile(file.getFileName().toString()).orElse(Compression.NONE) + " tar");
        }
    }
}
