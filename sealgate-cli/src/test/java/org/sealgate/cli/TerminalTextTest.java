package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void escapeSequencesFromAMailShouldNeverReachTheTerminal() {
        String subject = "Invoice\u001b]0;owned\u0007\u001b[2J\u009b31m\u007f";
        assertThat(TerminalText.line(subject)).isEqualTo("Invoice\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x7f");
        assertThat(TerminalText.line(subject)).doesNotContain("\u001b").doesNotContain("\u009b");
    }

    @Test
    void aLineShouldFoldLineEndsWhileABlockKeepsThemAndNonAsciiText() {
        assertThat(TerminalText.line("a\r\n\tb")).isEqualTo("a b");
        assertThat(TerminalText.block("Subject: Grüße\r\n\tfolded\r\n\r\nbody\u001b[1m\r\n"))
            .isEqualTo("Subject: Grüße\r\n\tfolded\r\n\r\nbody\\x1b[1m\r\n");
    }
}
