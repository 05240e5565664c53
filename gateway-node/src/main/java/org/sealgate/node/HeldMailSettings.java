package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Held mail ({@code sealgate.properties}):
 * <pre>
 * held.retention-days = 30     # held mail older than this is deleted by the node's sweep (audited as expired)
 * held.notify-sender = true    # tell a managed-domain sender of a trusted client that the mail is held, and why
 * </pre>
 */
record HeldMailSettings(Duration retention, boolean notifySender) {
    static final String RETENTION_DAYS = "held.retention-days";
    static final String NOTIFY_SENDER = "held.notify-sender";
    static final int DEFAULT_RETENTION_DAYS = 30;

    static HeldMailSettings load(Path data) throws IOException {
        Properties properties = new Properties();
        Path file = data.resolve(NodeSettings.FILE_NAME);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        String days = properties.getProperty(RETENTION_DAYS, Integer.toString(DEFAULT_RETENTION_DAYS)).trim();
        int retentionDays;
        try {
            retentionDays = Integer.parseInt(days);
        } catch (NumberFormatException e) {
            retentionDays = -1;
        }
        if (retentionDays < 1 || retentionDays > 3650) {
            throw new IOException(NodeSettings.FILE_NAME + ": " + RETENTION_DAYS + " must be a number of days from 1 to 3650, not '"
                + days + "'");
        }
        String notify = properties.getProperty(NOTIFY_SENDER, "true").trim();
        if (!notify.equals("true") && !notify.equals("false")) {
            throw new IOException(NodeSettings.FILE_NAME + ": " + NOTIFY_SENDER + " must be true or false, not '" + notify + "'");
        }
        return new HeldMailSettings(Duration.ofDays(retentionDays), Boolean.parseBoolean(notify));
    }

    /** The values the pipeline template reads. */
    Map<String, String> values() {
        return Map.of("held.notify.sender", Boolean.toString(notifySender));
    }
}
