package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How long a delivery to the next hop may wait on the network, from {@code sealgate.properties}
 * ({@code delivery.timeout-seconds}, default 180, RFC 5321's data-block timeout). It bounds every read (JavaMail's
 * {@code timeout}) and every write ({@code mail.smtp.writetimeout}): without a write bound, a next hop that stops
 * reading during DATA holds the delivery, its thread and the queued mail until the node restarts.
 *
 * @param timeoutSeconds the bound, at least 1
 */
record DeliverySettings(int timeoutSeconds) {
    static final DeliverySettings DEFAULTS = new DeliverySettings(180);

    DeliverySettings {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("delivery.timeout-seconds must be at least 1, got " + timeoutSeconds);
        }
    }

    static DeliverySettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            return new DeliverySettings(LimitSettings.number(p, "delivery.timeout-seconds", DEFAULTS.timeoutSeconds()));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Placeholders of the James configuration templates. */
    Map<String, String> values() {
        Map<String, String> values = new HashMap<>();
        values.put("delivery.timeout.ms", Long.toString(timeoutSeconds * 1000L));
        return values;
    }
}
