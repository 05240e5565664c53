package org.sealgate.console;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's configuration, {@code DIR/console.properties}; relative paths resolve against {@code DIR}. Secrets
 * are never in this file: it names the files that hold them (ZooKeeper admin identity, keystore password, the key
 * ring sealing TOTP secrets).
 * <pre>
 * https.host=127.0.0.1   https.port=9443
 * tls.keystore=tls/console.p12   tls.keystore.password-file=tls/console.p12.password
 * tls.demo-certificate=false (true: generate a self-signed certificate if none; the demo only)
 * zk.connect=zk1:2181   zk.namespace=sealgate   zk.credentials=secrets/zk-admin.credentials (the ADMIN identity)
 * totp.keys=console.keys        (key ring sealing the admins' TOTP secrets; same file for every console)
 * audit.search-dir=/var/lib/sealgate/audit   (the node's audit JSON lines, read only)
 * session.idle-minutes=15   session.max-hours=8   argon2.memory-kib=65536   argon2.iterations=3
 * metrics.url=http://127.0.0.1:8081/metrics   (optional: a node's Prometheus text, shown as live counters)
 * </pre>
 * The console's own audit trail (every admin action, with the admin's name) is {@code DIR/audit/console-audit.jsonl}.
 */
public record ConsoleSettings(Path directory, String httpsHost, int httpsPort, Path keystore, Path keystorePasswordFile,
                              boolean demoCertificate, String zkConnect, String zkNamespace, Path zkCredentials,
                              Path totpKeys, Path auditSearchDirectory, Duration sessionIdle, Duration sessionMax,
                              int argon2MemoryKib, int argon2Iterations, Optional<URI> metricsUrl) {
    public static final String FILE_NAME = "console.properties";

    /**
     * The console's ZooKeeper TLS settings (the admin identity's certificate, the cluster CA), from the
     * {@code zk.tls.*} keys of {@code console.properties}; empty for plaintext. Read on demand as the portal does.
     */
    public java.util.Optional<org.sealgate.zk.tls.ZkTlsSettings> zkTls() throws IOException {
        Properties p = new Properties();
        try (java.io.Reader reader = Files.newBufferedReader(directory.resolve(FILE_NAME), java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        return org.sealgate.zk.tls.ZkTlsSettings.from(p, directory);
    }

    public static ConsoleSettings load(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            return new ConsoleSettings(directory, p.getProperty("https.host", "127.0.0.1").strip(),
                Integer.parseInt(p.getProperty("https.port", "9443").strip()),
                path(directory, p, "tls.keystore", "tls/console.p12"),
                path(directory, p, "tls.keystore.password-file", "tls/console.p12.password"),
                Boolean.parseBoolean(p.getProperty("tls.demo-certificate", "false").strip()),
                required(p, "zk.connect"), p.getProperty("zk.namespace", "sealgate").strip(),
                path(directory, p, "zk.credentials", "secrets/zk-admin.credentials"),
                path(directory, p, "totp.keys", "console.keys"),
                directory.resolve(required(p, "audit.search-dir")),
                Duration.ofMinutes(positive(p, "session.idle-minutes", 15)),
                Duration.ofHours(positive(p, "session.max-hours", 8)),
                (int) positive(p, "argon2.memory-kib", 65536), (int) positive(p, "argon2.iterations", 3),
                Optional.ofNullable(p.getProperty("metrics.url")).map(String::strip).filter(u -> !u.isEmpty()).map(URI::create));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Every admin action, JSON lines. */
    public Path auditFile() {
        return directory.resolve("audit").resolve("console-audit.jsonl");
    }

    private static long positive(Properties p, String key, long fallback) {
        long value = Long.parseLong(p.getProperty(key, Long.toString(fallback)).strip());
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
        return value;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value.strip();
    }

    private static Path path(Path directory, Properties p, String key, String fallback) {
        return directory.resolve(p.getProperty(key, fallback).strip());
    }
}
