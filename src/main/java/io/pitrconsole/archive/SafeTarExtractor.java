package io.pitrconsole.archive;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a (compressed) tar into a directory without ever writing outside it: entries whose
 * names are absolute or contain {@code ..}, links pointing outside the destination, writes through
 * a link, device, fifo and sparse entries, and files the {@link TarEntryLimits} do not allow (not in
 * the manifest, or larger than it says) are refused and stop the extraction. Symbolic links the
 * caller names in {@code linkOverrides} (pg_tblspc/OID for remapped tablespaces) are created with
 * the given target instead of the one in the archive.
 */
public final class SafeTarExtractor {
    private static final int BUFFER = 1 << 18;

    private final Map<String, Path> linkOverrides;
    private final TarEntryLimits limits;

    public SafeTarExtractor() {
        this(Map.of(), TarEntryLimits.NONE);
    }

    public SafeTarExtractor(Map<String, Path> linkOverrides, TarEntryLimits limits) {
        this.linkOverrides = Map.copyOf(linkOverrides);
        this.limits = limits;
    }

    /** What one extraction wrote. */
    public record Result(long files, long bytes) {
    }

    /** Extracts tarFile (plain, .gz, .lz4 or .zst) into destination, which is created if missing. */
    public Result extract(Path tarFile, Path destination, ProgressListener progress, Cancellation cancellation) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new ReadAheadInputStream(TarStreams.decompressed(tarFile), tarFile.getFileName().toString()), "UTF-8")) {
            return extract(tar, tarFile.getFileName().toString(), destination, progress, cancellation);
        } catch (IOException e) {
            throw new PitrException("cannot read " + tarFile + ": " + e.getMessage(),
                    Hint.of("the backup file is damaged; run 'backup verify' on it or restore from another backup",
                            "the backup file is damaged; verify the backup on the Backups page, or restore from another backup"), e);
        }
    }

    /**
     * Extracts a tar (plain, .gz, .lz4 or .zst, told by its name) read from a stream, such as an
     * object of a bucket, into destination; the stream is closed.
     */
    public Result extract(InputStream raw, String name, Path destination, ProgressListener progress, Cancellation cancellation) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new ReadAheadInputStream(TarStreams.decompressing(name, raw), name), "UTF-8")) {
            return extract(tar, name, destination, progress, cancellation);
        } catch (IOException e) {
            throw new PitrException("cannot read " + name + ": " + e.getMessage(),
                    Hint.of("the backup file is damaged or could not be read; run 'backup verify' on it or restore from another backup",
                            "the backup file is damaged or could not be read; verify the backup on the Backups page, or restore from another backup"), e);
        }
    }

    Result extract(TarArchiveInputStream tar, String what, Path destination, ProgressListener progress,
                   Cancellation cancellation) throws IOException {
        Path dest = destination.toAbsolutePath().normalize();
        Files.createDirectories(dest);
        Set<Path> safeDirs = new HashSet<>();
        safeDirs.add(dest);
        byte[] buffer = new byte[BUFFER];
        long files = 0;
        long bytes = 0;
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            cancellation.throwIfCancelled("extracting " + what);
            String name = entry.getName();
            refuseSpecial(entry, what, name);
            Path target = resolveInside(dest, name, what);
            if (target.equals(dest)) {
                continue;
            }
            ensureParent(dest, target.getParent(), safeDirs, what, name);
            if (entry.isDirectory()) {
                if (Files.isSymbolicLink(target)) {
                    throw refused(what, name, "a directory entry would replace a link");
                }
                Files.createDirectories(target);
                safeDirs.add(target);
                setMode(target, entry.getMode());
            } else if (entry.isSymbolicLink()) {
                createSymlink(dest, target, relative(dest, target), entry.getLinkName(), what, name);
            } else if (entry.isLink()) {
                Path linked = resolveInside(dest, entry.getLinkName(), what);
                if (!Files.isRegularFile(linked, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused(what, name, "hard link to '" + entry.getLinkName() + "', which is not a file extracted before");
                }
                Files.deleteIfExists(target);
                Files.createLink(target, linked);
                files++;
            } else if (isRegular(entry)) {
                if (Files.isSymbolicLink(target)) {
                    throw refused(what, name, "a file would be written through a link");
                }
                long max = allowedSize(entry, what, name);
                long written = 0;
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    int n;
                    while ((n = tar.read(buffer)) > 0) {
                        written += n;
                        if (written > max) {
                            break;
                        }
                        out.write(buffer, 0, n);
                    }
                }
                if (written > max) {
                    Files.deleteIfExists(target);
                    throw refused(what, name, "holds more than the " + max + " bytes the manifest gives it");
                }
                bytes += written;
                setMode(target, entry.getMode());
                Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
                files++;
                if ((files & 63) == 0) {
                    progress.progress(bytes, -1, "extracting " + what);
                }
            } else {
                throw refused(what, name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'");
            }
        }
        progress.progress(bytes, bytes, "extracted " + what);
        return new Result(files, bytes);
    }

    /** Devices, fifos and sparse files are never in a base backup; commons-compress calls them files. */
    private static void refuseSpecial(TarArchiveEntry entry, String what, String name) {
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw refused(what, name, "a device entry");
        }
        if (entry.isFIFO()) {
            throw refused(what, name, "a fifo entry");
        }
        if (entry.isSparse() || entry.getRealSize() != entry.getSize()) {
            throw refused(what, name, "a sparse entry of " + entry.getRealSize() + " bytes (pg_basebackup writes none)");
        }
    }

    private static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
    }

    private long allowedSize(TarArchiveEntry entry, String what, String name) {
        String relName = name.startsWith("./") ? name.substring(2) : name;
        OptionalLong max = limits.maxSize(relName);
        if (max.isEmpty()) {
            throw refused(what, name, limits.notAllowed(relName));
        }
        if (entry.getSize() > max.getAsLong()) {
            throw refused(what, name, "is " + entry.getSize() + " bytes, the manifest says " + max.getAsLong());
        }
        return max.getAsLong();
    }

    private void createSymlink(Path dest, Path target, String relName, String linkName, String what, String name)
            throws IOException {
        Path override = linkOverrides.get(relName);
        Path linkTarget;
        if (override != null) {
            linkTarget = override.toAbsolutePath().normalize();
        } else {
            Path candidate = Path.of(linkName);
            Path resolved = (candidate.isAbsolute() ? candidate : target.getParent().resolve(candidate)).normalize();
            if (!resolved.startsWith(dest)) {
                throw refused(what, name, "link pointing outside the destination (to '" + linkName + "')");
            }
            linkTarget = candidate;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(what, name, "a link would replace a directory");
            }
            Files.delete(target);
        }
        try {
            Files.createSymbolicLink(target, linkTarget);
        } catch (FileAlreadyExistsException e) {
            throw refused(what, name, "the link exists twice in the archive");
        }
    }

    /** Resolves an entry name under dest; refuses absolute names, '..' and anything landing outside. */
    private static Path resolveInside(Path dest, String name, String what) {
        if (name == null || name.isEmpty()) {
            throw refused(what, String.valueOf(name), "empty entry name");
        }
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            throw refused(what, name, "absolute path");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw refused(what, name, "'..' in the path");
            }
        }
        if (name.indexOf('\0') >= 0) {
            throw refused(what, name, "NUL in the name");
        }
        Path target = dest.resolve(name).normalize();
        if (!target.startsWith(dest)) {
            throw refused(what, name, "path outside the destination");
        }
        return target;
    }

    /** Creates the parent chain one directory at a time, refusing any existing link on the way. */
    private static void ensureParent(Path dest, Path parent, Set<Path> safeDirs, String what, String name) throws IOException {
        if (safeDirs.contains(parent)) {
            return;
        }
        Path current = dest;
        for (Path part : dest.relativize(parent)) {
            current = current.resolve(part);
            if (safeDirs.contains(current)) {
                continue;
            }
            if (Files.isSymbolicLink(current)) {
                throw refused(what, name, "it would be written through the link " + dest.relativize(current));
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
                setMode(current, 0700);
            } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(what, name, dest.relativize(current) + " is a file, not a directory");
            }
            safeDirs.add(current);
        }
    }

    private static String relative(Path dest, Path target) {
        return dest.relativize(target).toString().replace('\\', '/');
    }

    private static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.OWNER_WRITE);
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; PostgreSQL runs on one, tests may not
        }
    }

    private static PitrException refused(String what, String name, String why) {
        return new PitrException("refusing to extract " + what + ": entry '" + name + "': " + why,
                "this archive was not written by pg_basebackup or has been tampered with; nothing was written outside the destination");
    }
}
