package io.pitrconsole.pg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks a password up in a libpq password file (host:port:database:user:password, '*' matches
 * anything, backslash escapes ':' and '\'). Used only to hand the JDBC driver the same password
 * libpq would use for an explicitly named file; the value is never logged.
 */
public final class PgPassFile {
    private PgPassFile() {
    }

    public static Optional<String> lookup(Path file, ConnectionSettings s) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = split(line);
            if (f.size() < 5) {
                continue;
            }
            if (matches(f.get(0), s.host()) && matches(f.get(1), String.valueOf(s.port()))
                    && matches(f.get(2), s.database()) && matches(f.get(3), s.user())) {
                return Optional.of(f.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value)
                || (pattern.equals("localhost") && (value.equals("127.0.0.1") || value.startsWith("/")));
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields;
    }
}
