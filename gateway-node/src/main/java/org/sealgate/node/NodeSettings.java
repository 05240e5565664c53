package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A node's own settings, read from {@code <data>/sealgate.properties}. Everything James needs is rendered from
 * these at each start, so the file is the one place an administrator edits.
 *
 * @param hostname          the name the node greets with (HELO/EHLO)
 * @param smtpHost          address the SMTP server binds to
 * @param smtpPort          its port
 * @param trustedNetworks   clients allowed to relay to any domain (CIDR list); others may only send to managed domains
 * @param managedDomains    domains whose users this gateway protects
 * @param relay             next hop for all mail leaving the gateway ({@code host:port}); empty: store to directories;
 *                          a cluster document's {@code next-hop} wins over it (applied live, {@link LiveSettings})
 * @param maxMessageKb      largest message accepted over SMTP
 * @param subjectTags       whether inbound signature results are also shown in the subject
 * @param pipeline          Sealgate's pipeline, or plain relaying by the same James (the benchmark's baseline)
 */
public record NodeSettings(String hostname,
                           String smtpHost,
                           int smtpPort,
                           List<String> trustedNetworks,
                           List<String> managedDomains,
                           Optional<String> relay,
                           int maxMessageKb,
                           boolean subjectTags,
                           Pipeline pipeline) {

    public static final String FILE_NAME = "sealgate.properties";
    /** The largest message accepted over SMTP unless {@code smtp.max-message-kb} says otherwise: 50 MB. */
    public static final int DEFAULT_MAX_MESSAGE_KB = 51200;

    /** What the mailet container does with mail. */
    public enum Pipeline {
        /** Sign, encrypt, decrypt, verify: the gateway. */
        SEALGATE("sealgate"),
        /** Stock James relaying with the same queue and delivery, none of our mailets: the benchmark baseline. */
        RELAY_ONLY("relay-only");

        private final String value;

        Pipeline(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Pipeline of(String value) {
            for (Pipeline pipeline : values()) {
                if (pipeline.value.equals(value)) {
                    return pipeline;
                }
            }
            throw new IllegalArgumentException(FILE_NAME + ": pipeline must be 'sealgate' or 'relay-only', got '" + value + "'");
        }
    }

    /** The gateway pipeline, as every node but a benchmark baseline runs it. */
    public NodeSettings(String hostname, String smtpHost, int smtpPort, List<String> trustedNetworks,
                        List<String> managedDomains, Optional<String> relay, int maxMessageKb, boolean subjectTags) {
        this(hostname, smtpHost, smtpPort, trustedNetworks, managedDomains, relay, maxMessageKb, subjectTags, Pipeline.SEALGATE);
    }

    public NodeSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
        managedDomains = List.copyOf(managedDomains);
        if (managedDomains.isEmpty()) {
            throw new IllegalArgumentException("domains.managed: at least one managed domain is required");
        }
        if (smtpPort < 0 || smtpPort > 65535) {
            throw new IllegalArgumentException("smtp.port: not a port: " + smtpPort);
        }
        relay.ifPresent(NodeSettings::checkHostPort);
        Objects.requireNonNull(pipeline, "pipeline");
    }

    public static NodeSettings load(Path dataDirectory) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return new NodeSettings(
            properties.getProperty("node.hostname", "sealgate.localdomain").trim(),
            properties.getProperty("smtp.host", "127.0.0.1").trim(),
            integer(properties, "smtp.port", "2525"),
            list(properties.getProperty("smtp.trusted-networks", "127.0.0.1/32")),
            list(properties.getProperty("domains.managed", "")),
            Optional.of(properties.getProperty("delivery.relay", "").trim()).filter(s -> !s.isEmpty()),
            integer(properties, "smtp.max-message-kb", Integer.toString(DEFAULT_MAX_MESSAGE_KB)),
            Boolean.parseBoolean(properties.getProperty("inbound.subject-tags", "true").trim()),
            Pipeline.of(properties.getProperty("pipeline", "sealgate").trim()));
    }

    public void save(Path dataDirectory) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("node.hostname", hostname);
        properties.setProperty("smtp.host", smtpHost);
        properties.setProperty("smtp.port", Integer.toString(smtpPort));
        properties.setProperty("smtp.trusted-networks", String.join(",", trustedNetworks));
        properties.setProperty("domains.managed", String.join(",", managedDomains));
        properties.setProperty("delivery.relay", relay.orElse(""));
        properties.setProperty("smtp.max-message-kb", Integer.toString(maxMessageKb));
        properties.setProperty("inbound.subject-tags", Boolean.toString(subjectTags));
        properties.setProperty("pipeline", pipeline.value());
        try (Writer writer = Files.newBufferedWriter(dataDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.store(writer, "Sealgate node settings; James's configuration is rendered from these at start");
        }
    }

    public NodeSettings withSmtpPort(int port) {
        return new NodeSettings(hostname, smtpHost, port, trustedNetworks, managedDomains, relay, maxMessageKb, subjectTags,
            pipeline);
    }

    public NodeSettings withRelay(Optional<String> nextHop) {
        return new NodeSettings(hostname, smtpHost, smtpPort, trustedNetworks, managedDomains, nextHop, maxMessageKb, subjectTags,
            pipeline);
    }

    public NodeSettings withTrustedNetworks(List<String> networks) {
        return new NodeSettings(hostname, smtpHost, smtpPort, networks, managedDomains, relay, maxMessageKb, subjectTags,
            pipeline);
    }

    private static int integer(Properties properties, String key, String fallback) {
        String value = properties.getProperty(key, fallback).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FILE_NAME + ": " + key + " must be a number, got '" + value + "'");
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void checkHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("delivery.relay: expected HOST:PORT, got '" + hostPort + "'");
        }
        try {
            Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delivery.relay: the port of '" + hostPort + "' is not a number");
        }
    }
}
