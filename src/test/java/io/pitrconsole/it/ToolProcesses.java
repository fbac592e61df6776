package io.pitrconsole.it;

import io.pitrconsole.pg.ProcessTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The processes a test's commands left on this machine, found in /proc by their command line. */
final class ToolProcesses {
    private ToolProcesses() {
    }

    /** One running (not zombie) process and its command line. */
    record Found(long pid, long parentPid, long processGroup, String commandLine) {
    }

    /** Running processes whose command line holds every given part. */
    static List<Found> running(String... parts) {
        List<Found> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                Optional<ProcessTable.Entry> e = ProcessTable.entry(pid);
                if (e.isEmpty() || !e.get().running()) {
                    continue;
                }
                String cmd = commandLine(pid);
                if (Stream.of(parts).allMatch(cmd::contains)) {
                    found.add(new Found(pid, e.get().parentPid(), e.get().processGroup(), cmd));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** pg_basebackup processes writing into the archive. */
    static List<Found> basebackups(Path archive) {
        return running("pg_basebackup", archive.toString());
    }

    /** The pg_basebackup that was started (not its WAL-streaming child), once one runs. */
    static Optional<Found> mainBasebackup(Path archive) {
        List<Found> all = basebackups(archive);
        Set<Long> pids = all.stream().map(Found::pid).collect(Collectors.toSet());
        return all.stream().filter(f -> !pids.contains(f.parentPid())).findFirst();
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The name the kernel gives a process (the file it runs, cut to 15 characters); empty once it is gone. */
    static String name(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The environment a process was started with, NAME=value per entry. */
    static List<String> environment(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    /** Polls until the condition holds; fails with the description after the timeout. */
    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(25);
        }
    }

    /** Starts the command line tool in a JVM of its own, its output into a file. */
    static Process startCli(Path output, java.util.Map<String, String> extraEnv, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "io.pitrconsole.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(extraEnv);
        return pb.start();
    }
}
