package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.sealgate.crypto.MimeLimits;

/**
 * The node's limits on connections and on the work one mail may cause, from {@code sealgate.properties}; every
 * key is optional (defaults below). Rendered into James's {@code smtpserver.xml} and the {@code CheckMailLimits}
 * step of the pipeline.
 *
 * @param connections        SMTP connections at once, all clients ({@code smtp.max-connections}, 200)
 * @param connectionsPerIp   SMTP connections at once from one address ({@code smtp.max-connections-per-ip}, 20)
 * @param timeoutSeconds     idle SMTP connection timeout ({@code smtp.timeout-seconds}, 300: RFC 5321 §4.5.3.2)
 * @param recipients         recipients per mail ({@code smtp.max-recipients}, 1000); more get 452 at RCPT
 * @param mime               structure limits ({@code limits.mime-depth} 32, {@code limits.mime-parts} 1000,
 *                           {@code limits.header-count} 500, {@code limits.header-line-length} 8192,
 *                           {@code limits.unwrapped-kb} 65536: decrypted or decompressed content)
 */
record LimitSettings(int connections, int connectionsPerIp, int timeoutSeconds, int recipients, MimeLimits mime) {

    static final LimitSettings DEFAULTS = new LimitSettings(200, 20, 300, 1000, MimeLimits.DEFAULTS);

    LimitSettings {
        atLeastOne("smtp.max-connections", connections);
        atLeastOne("smtp.max-connections-per-ip", connectionsPerIp);
        atLeastOne("smtp.timeout-seconds", timeoutSeconds);
        atLeastOne("smtp.max-recipients", recipients);
    }

    static LimitSettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        MimeLimits mime = MimeLimits.DEFAULTS;
        try {
            return new LimitSettings(
                number(p, "smtp.max-connections", DEFAULTS.connections()),
                number(p, "smtp.max-connections-per-ip", DEFAULTS.connectionsPerIp()),
                number(p, "smtp.timeout-seconds", DEFAULTS.timeoutSeconds()),
                number(p, "smtp.max-recipients", DEFAULTS.recipients()),
                new MimeLimits(number(p, "limits.mime-depth", mime.maxDepth()),
                    number(p, "limits.mime-parts", mime.maxParts()),
                    number(p, "limits.header-count", mime.maxHeaders()),
                    number(p, "limits.header-line-length", mime.maxHeaderLineLength()),
                    1024L * number(p, "limits.unwrapped-kb", (int) (mime.maxUnwrappedBytes() / 1024))));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Placeholder values for the James configuration templates. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("smtp.max.connections", Integer.toString(connections));
        values.put("smtp.max.connections.per.ip", Integer.toString(connectionsPerIp));
        values.put("smtp.timeout.seconds", Integer.toString(timeoutSeconds));
        values.put("smtp.max.recipients", Integer.toString(recipients));
        values.put("limits.mime.depth", Integer.toString(mime.maxDepth()));
        values.put("limits.mime.parts", Integer.toString(mime.maxParts()));
        values.put("limits.header.count", Integer.toString(mime.maxHeaders()));
        values.put("limits.header.line.length", Integer.toString(mime.maxHeaderLineLength()));
        values.put("limits.unwrapped.kb", Long.toString(mime.maxUnwrappedBytes() / 1024));
        return values;
    }

    /** An integer setting with its fallback; a value that is no number is refused with the key named. */
    static int number(Properties p, String key, int fallback) {
        String value = p.getProperty(key, Integer.toString(fallback)).strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }
}
