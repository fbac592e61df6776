package io.pitrconsole.cli.archiving;

import io.pitrconsole.archive.Compression;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How archive_command stores segments, shared by 'archiving generate' and 'archiving apply'. */
final class ArchivingOptions {
    @Option(names = "--compress", paramLabel = "none|gzip|zstd", defaultValue = "none",
            description = "compress archived segments (default: none)")
    String compress;

    @Option(names = "--archive-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "archive_timeout: longest time a quiet server keeps a partly filled segment (default: 300)")
    long archiveTimeoutSeconds;

    Compression compression() {
        return Compression.parse(compress);
    }

    Duration archiveTimeout() {
        return Duration.ofSeconds(archiveTimeoutSeconds);
    }
}
