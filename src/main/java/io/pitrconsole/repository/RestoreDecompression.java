package io.pitrconsole.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server's restore_command needs to hand archived WAL back uncompressed: the programs it
 * runs from the server's PATH to do so (none when the files are plain, or when the archive's own
 * tool decompresses them), and a sentence saying how it gets them.
 */
public record RestoreDecompression(List<String> programs, String detail) {

    public RestoreDecompression {
        programs = List.copyOf(programs);
    }

    /** The console's own restore scripts: gzip for NAME.gz, zstd for NAME.zst, a plain copy otherwise. */
    public static RestoreDecompression byOwnScript(List<String> names) {
        List<String> needed = new ArrayList<>();
        if (names.stream().anyMatch(n -> n.endsWith(".zst"))) {
            needed.add("zstd");
        }
        if (names.stream().anyMatch(n -> n.endsWith(".gz"))) {
            needed.add("gzip");
        }
        return new RestoreDecompression(needed, needed.isEmpty() ? "WAL segments are not compressed, restore_command copies them"
                : "restore_command runs " + String.join(" and ", needed) + " for compressed WAL segments");
    }
}
