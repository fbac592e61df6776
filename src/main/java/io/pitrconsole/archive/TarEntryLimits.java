package io.pitrconsole.archive;

import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which regular files one tar of a backup may hold and how large each may be. pg_basebackup lists
 * every regular file of base.tar and of each tablespace tar in backup_manifest (backup_label and
 * tablespace_map included; directories and links are not listed), and puts only WAL files, which
 * the manifest never lists, in pg_wal.tar. A file the manifest does not list, or one larger than
 * it says, is not pg_basebackup's and is refused before a byte of it is written.
 */
public sealed interface TarEntryLimits {
    /** Largest WAL segment a server can be built with (--with-wal-segsize 1024). */
    long MAX_WAL_FILE = 1L << 30;

    /** Files without a limit; only for tars that are not part of a backup. */
    TarEntryLimits NONE = new Unbounded();

    /** The largest size the file may have, or empty when the tar may not hold it at all. */
    OptionalLong maxSize(String name);

    /** What a refused file is told: why it may not be there. */
    String notAllowed(String name);

    /** base.tar (prefix "") or a tablespace tar (prefix "pg_tblspc/OID/"): exactly the manifest's files. */
    static TarEntryLimits manifest(BackupManifest manifest, String prefix) {
        return new Listed(manifest.files(), prefix);
    }

    /** pg_wal.tar: WAL segments, .partial and .history files and archive_status markers, none over 1 GiB. */
    static TarEntryLimits walFiles() {
        return new WalFiles();
    }

    record Unbounded() implements TarEntryLimits {
        @Override
        public OptionalLong maxSize(String name) {
            return OptionalLong.of(Long.MAX_VALUE);
        }

        @Override
        public String notAllowed(String name) {
            return "";
        }
    }

    record Listed(Map<String, BackupManifest.FileEntry> files, String prefix) implements TarEntryLimits {
        @Override
        public OptionalLong maxSize(String name) {
            BackupManifest.FileEntry e = files.get(prefix + name);
            return e == null ? OptionalLong.empty() : OptionalLong.of(e.size());
        }

        @Override
        public String notAllowed(String name) {
            return "'" + prefix + name + "' is not listed in the backup's manifest";
        }
    }

    record WalFiles() implements TarEntryLimits {
        private static final Pattern WAL_NAME = Pattern.compile(
                "(archive_status/)?([0-9A-F]{24}(\\.partial)?|[0-9A-F]{8}\\.history|[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup)(\\.ready|\\.done)?");

        @Override
        public OptionalLong maxSize(String name) {
            return WAL_NAME.matcher(name).matches() ? OptionalLong.of(MAX_WAL_FILE) : OptionalLong.empty();
        }

        @Override
        public String notAllowed(String name) {
            return "'" + name + "' is not a WAL file name, and pg_wal.tar holds only WAL";
        }
    }
}
