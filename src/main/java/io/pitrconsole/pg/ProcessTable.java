package io.pitrconsole.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the kernel says about processes, read from /proc: which process group a process is in
 * and which processes of a group still run. A zombie (exited, not yet reaped) runs nothing, so it
 * does not count; where nothing reaps orphans (some container inits) zombies stay for good.
 */
public final class ProcessTable {
    private static final Path PROC = Path.of("/proc");

    private ProcessTable() {
    }

    /** One line of /proc/PID/stat, the fields this console needs. */
    public record Entry(long pid, char state, long parentPid, long processGroup) {
        /** True unless the process has exited (zombie or dead). */
        public boolean running() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    /** The process's entry, or empty when it is gone (or /proc cannot tell). */
    public static Optional<Entry> entry(long pid) {
        try {
            return Optional.of(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pids of the processes of a group that still run. */
    public static List<Long> runningMembers(long processGroup) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(PROC)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                entry(Long.parseLong(name)).filter(e -> e.processGroup() == processGroup && e.running())
                        .ifPresent(e -> members.add(e.pid()));
            }
        } catch (IOException e) {
            // no /proc: nothing can be listed, and the caller's kill by group id still went out
        }
        return members;
    }

    static Entry parse(long pid, String stat) {
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new Entry(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
