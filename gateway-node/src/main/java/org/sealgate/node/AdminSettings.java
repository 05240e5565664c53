package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The node's admin endpoint ({@code /healthz}, {@code /metrics}, drain), from {@code sealgate.properties}.
 *
 * @param host       {@code admin.host}: the address it binds; loopback by default, a management address when a
 *                   load balancer on another host checks it (it is unauthenticated: never a public address)
 * @param port       {@code admin.port}: 0 (default) takes any free port, written to {@code DATA/admin/endpoint}; a
 *                   load balancer needs a fixed one (the examples use 8081)
 * @param drainGrace {@code admin.drain-grace-seconds} (default 5): after {@code node drain} health is 503 at once,
 *                   SMTP still accepts this long (at least the balancer's check interval × fall) before it answers 421
 */
public record AdminSettings(String host, int port, Duration drainGrace) {

    public static final AdminSettings DEFAULTS = new AdminSettings("127.0.0.1", 0, Duration.ofSeconds(5));

    public AdminSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("admin.host: an address is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin.port: not a port: " + port);
        }
        if (drainGrace.isNegative()) {
            throw new IllegalArgumentException("admin.drain-grace-seconds: must not be negative");
        }
    }

    public static AdminSettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            return new AdminSettings(p.getProperty("admin.host", DEFAULTS.host()).strip(),
                Integer.parseInt(p.getProperty("admin.port", Integer.toString(DEFAULTS.port())).strip()),
                Duration.ofSeconds(Long.parseLong(p.getProperty("admin.drain-grace-seconds",
                    Long.toString(DEFAULTS.drainGrace().toSeconds())).strip())));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    public AdminSettings withPort(int newPort) {
        return new AdminSettings(host, newPort, drainGrace);
    }

    InetSocketAddress bindAddress() {
        return new InetSocketAddress(host, port);
    }
}
