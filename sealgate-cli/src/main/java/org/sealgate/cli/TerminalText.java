package org.sealgate.cli;

/**
 * Text from mail (subjects, addresses, reasons, whole messages) made safe to print on an administrator's terminal:
 * control characters (C0 except tab and line ends, DEL, C1) become {@code \xNN}, so a mail cannot send escape
 * sequences that rewrite the screen, retitle the window or hide lines of output.
 */
final class TerminalText {
    private TerminalText() {
    }

    /** One line: line ends and tabs become spaces too. */
    static String line(String text) {
        return escape(text.replaceAll("[\\r\\n\\t]+", " "), false);
    }

    /** A block of lines (a message): tabs and line ends are kept. */
    static String block(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLineEnds) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean kept = keepLineEnds && (c == '\r' || c == '\n' || c == '\t');
            if (!kept && (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
