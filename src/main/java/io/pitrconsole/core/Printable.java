package io.pitrconsole.core;

/**
 * Text from files (a damaged .history, a name in a tar) made safe to print on a terminal: control
 * characters, escape sequences and undecodable bytes are shown as escapes, so a garbage file
 * cannot move the cursor, recolour or retitle the user's terminal, and long runs are cut.
 */
public final class Printable {
    private Printable() {
    }

    /** The text with every non-printable character escaped, at most max characters of it. */
    public static String escape(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (shown++ >= max) {
                sb.append("...");
                break;
            }
            if (cp == '\t') {
                sb.append("\\t");
            } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp == 0xfffd || Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.PRIVATE_USE || Character.getType(cp) == Character.SURROGATE) {
                sb.append(String.format("\\u{%x}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /** Like {@link #escape(String, int)} for a whole error message: line breaks are kept as escapes too. */
    public static String escape(String text) {
        return escape(text, 2000);
    }
}
