package io.pitrconsole.it;

import io.pitrconsole.cli.PitrCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with a given environment and captures what it prints. */
public final class CliRunner {
    /** Exit status and the two output streams of one run. */
    public record Result(int exit, String out, String err) {
        /** True when stderr holds no Java stack trace or exception class name. */
        public boolean noStackTrace() {
            return !err.contains("\tat ") && !err.contains("Exception") && !out.contains("\tat ");
        }
    }

    private CliRunner() {
    }

    public static Result run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    public static Result runWithInput(Map<String, String> env, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> e = new HashMap<>(env);
        int code = PitrCli.run(args, e, new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return new Result(code, out.toString(), err.toString());
    }
}
