package io.pitrconsole.it;

import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.ArchiveLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate process that holds the archive lock for a use, as a backup, cleanup or restore in
 * another console would: it takes the lock, creates the ready file and holds on until its standard
 * input closes (or it is killed). Arguments: archive directory, use, ready file.
 */
public final class ArchiveLockHolder {
    private ArchiveLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (ArchiveLock lock = ArchiveLock.acquire(new ArchiveLayout(Path.of(args[0])), LockUse.valueOf(args[1]),
                LockUse.valueOf(args[1]).label())) {
            Files.writeString(Path.of(args[2]), String.valueOf(ProcessHandle.current().pid()));
            while (System.in.read() >= 0) {
                // holds until the test closes the pipe
            }
        }
    }

    /** Starts a holder and waits until it holds the lock. */
    static Process start(Path archive, LockUse use, Path workDir) throws Exception {
        Path ready = workDir.resolve("holder-" + use + "-" + System.nanoTime() + ".ready");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ArchiveLockHolder.class.getName(), archive.toString(), use.name(), ready.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(workDir.resolve(ready.getFileName() + ".out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(ready) || Files.size(ready) == 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the lock holder did not take the lock: " + Files.readString(workDir.resolve(ready.getFileName() + ".out")));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return p;
    }

    /** Runs the CLI in a separate process (the jar's main class) and returns its exit status and output. */
    static CliRunner.Result runCli(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main"));
        cmd.addAll(List.of(args));
        Path out = workDir.resolve("cli-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not end within 2 minutes: " + String.join(" ", args));
        }
        String text = Files.readString(out);
        return new CliRunner.Result(p.exitValue(), text, text);
    }
}
