package io.pitrconsole.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** What a CLI run sees of the outside world; tests hand in their own. */
public record CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in) {
}
