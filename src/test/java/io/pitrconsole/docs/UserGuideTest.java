package io.pitrconsole.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.cli.PitrCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the user guide in docs/ stay true: every link and screenshot they point to exists,
 * and every command line they show is a real verb with options that verb really has.
 */
class UserGuideTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A command in an example: the launcher in any of its spellings, then the verb and its options. */
    private static final Pattern COMMAND = Pattern.compile(
            "(?:^|\\s|\\$ )(?:pitr-console|java -jar target/pitr-console\\.jar|\"\\$\\{pitr\\[@]}\")\\s+([^#`|]+)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][\\w-]*)");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(.*)$");

    private final Map<String, String> helpCache = new HashMap<>();

    @Test
    void everyLinkAndScreenshotInTheGuidePointsToSomethingThatExists() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("^[a-z]+://.*")) {
                    continue;
                }
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
                Path target = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(page + ": " + link + " (no such file)");
                } else if (!anchor.isEmpty() && !anchors(target).contains(anchor)) {
                    broken.add(page + ": " + link + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyCommandInTheGuideIsARealVerbWithOptionsItHas() throws IOException {
        Set<String> commands = new LinkedHashSet<>();
        for (Path page : pages()) {
            for (String line : Files.readAllLines(page)) {
                Matcher m = COMMAND.matcher(line);
                if (m.find()) {
                    commands.add(page.getFileName() + ": " + m.group(1).trim());
                }
            }
        }
        assertThat(commands).as("commands found in the guide").hasSizeGreaterThan(30);
        List<String> wrong = new ArrayList<>();
        for (String c : commands) {
            String commandLine = c.substring(c.indexOf(": ") + 2);
            String[] words = commandLine.split("\\s+");
            List<String> verb = new ArrayList<>();
            for (String w : words) {
                if (!w.matches("[a-z][a-z-]*") || !help(join(verb, w)).contains("Usage: pitr-console " + join(verb, w))) {
                    break;
                }
                verb.add(w);
            }
            if (verb.isEmpty() && !commandLine.equals("--help")) {
                wrong.add(c + " (no such verb)");
                continue;
            }
            String usage = help(String.join(" ", verb));
            Matcher o = OPTION.matcher(commandLine);
            while (o.find()) {
                if (!Pattern.compile(Pattern.quote(o.group(1)) + "(?![\\w-])").matcher(usage).find()) {
                    wrong.add(c + " (" + String.join(" ", verb) + " has no " + o.group(1) + ")");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).as("the user guide's pages").hasSizeGreaterThan(5);
        return pages;
    }

    /** GitHub's anchors: the heading in lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line : Files.readAllLines(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                anchors.add(m.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static String join(List<String> verb, String next) {
        List<String> all = new ArrayList<>(verb);
        all.add(next);
        return String.join(" ", all);
    }

    /** The verb's usage text, from the CLI itself (verb --help, or 'help GROUP' for a group). */
    private String help(String verb) {
        return helpCache.computeIfAbsent(verb, v -> {
            String text = run(v.isEmpty() ? new String[] {"--help"} : (v + " --help").split(" "));
            return text.contains("Usage:") ? text : run(("help " + v).trim().split(" "));
        });
    }

    private static String run(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PitrCli.run(args, Map.of(), new PrintWriter(out), new PrintWriter(err), new ByteArrayInputStream(new byte[0]));
        return out + "\n" + err;
    }
}
