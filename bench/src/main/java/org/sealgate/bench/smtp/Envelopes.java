package org.sealgate.bench.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whom each sink dump was addressed to, from the {@code X-Rcpt-Args:} record smtp-sink writes before the message.
 * A dump is read once its record is there (then remembered); one without the record counts as not for the
 * recipient, so nothing unreadable is ever counted as delivered.
 */
final class Envelopes {
    private static final String RCPT = "\nx-rcpt-args:";
    private final Map<Path, Boolean> forRecipient = new HashMap<>();
    private final String recipient;

    /** For the load's recipient ({@link BenchFixture#recipient()}). */
    Envelopes(String recipient) {
        this.recipient = recipient.toLowerCase(Locale.ROOT);
    }

    /** The dumps whose only envelope recipient is the load's. */
    List<Path> toRecipient(List<Path> files) throws IOException {
        return files.stream().filter(this::isForRecipient).toList();
    }

    /** Every other dump: mail to someone else (the sender's notices), or not yet readable. */
    List<Path> toOthers(List<Path> files) throws IOException {
        return files.stream().filter(file -> !isForRecipient(file)).toList();
    }

    private boolean isForRecipient(Path file) {
        Boolean known = forRecipient.get(file);
        if (known != null) {
            return known;
        }
        String head;
        try (InputStream in = Files.newInputStream(file)) {
            head = "\n" + new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return false;
        }
        int at = head.indexOf(RCPT);
        if (at < 0) {
            return false;
        }
        int end = head.indexOf('\n', at + RCPT.length());
        if (end < 0) {
            return false;
        }
        boolean recipient = head.substring(at + RCPT.length(), end).contains("<" + this.recipient + ">")
            && head.indexOf(RCPT, end) < 0;
        forRecipient.put(file, recipient);
        return recipient;
    }
}
