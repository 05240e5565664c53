package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The portal's configuration, {@code DIR/gina.properties}; relative paths resolve against {@code DIR}. Secrets
 * are never in this file: it names the files that hold them (key rings, keystore password, ZooKeeper identity).
 * <pre>
 * https.host=127.0.0.1          https.port=8443          http.port=8080 (-1: none; 0: any free port)
 * public.url=https://gina.example.com:8443   (default https://HOST:PORT)
 * tls.keystore=tls/portal.p12   tls.keystore.password-file=tls/portal.p12.password   (demo certificate if absent)
 * zk.connect=zk1:2181,zk2:2181  zk.namespace=sealgate    zk.credentials=secrets/gina.credentials
 * zk.tls.keystore=zk-tls/portal.p12  zk.tls.keystore.password-file=zk-tls/portal.p12.password
 * zk.tls.truststore=zk-tls/ca.pem   zk.tls.hostname-verification=true   (ZooKeeper over TLS; absent: plaintext)
 * gina.keys=gina.keys           session.keys=session.keys   session.minutes=30
 * smtp.gateway=127.0.0.1:2525   reply.max-attachment-bytes=10485760   upload.max-bytes=33554432
 * self-service-reset=false      argon2.memory-kib=65536    argon2.iterations=3   node.id=node-a
 * tls.demo-certificate=false (true: generate a self-signed certificate if none; the demo only)
 * session.max-hours=8   first-password.days=14   argon2.max-concurrent=2   argon2.max-wait-ms=1000
 * audit.max-bytes=10485760   audit.files=5   reply.max-per-hour=20
 * </pre>
 * In a cluster the document's {@code gina} section wins for {@code session.minutes}, {@code session.max-hours},
 * {@code first-password.days}, {@code self-service-reset} and {@code reply.max-per-hour} ({@link SharedSettings}).
 */
public record PortalSettings(Path directory, String httpsHost, int httpsPort, int httpPort, URI publicUrl,
                             Path keystore, Path keystorePasswordFile, String zkConnect, String zkNamespace,
                             Path zkCredentials, Path ginaKeys, Path sessionKeys, Duration sessionLifetime,
                             String smtpHost, int smtpPort, long maxUploadBytes, long maxReplyAttachmentBytes,
                             boolean selfServiceReset, int argon2MemoryKib, int argon2Iterations, String nodeId,
                             boolean demoCertificate, Duration sessionMaxLifetime, Duration firstPasswordLifetime,
                             int argon2MaxConcurrent, Duration argon2MaxWait, long auditMaxBytes, int auditFiles,
                             int repliesPerHour) {
    public static final String FILE_NAME = "gina.properties";

    /**
     * The portal's ZooKeeper TLS settings (its own certificate, the cluster CA), from the {@code zk.tls.*} keys of
     * {@code gina.properties}; empty for plaintext. Read on demand so the record stays as it is.
     */
    public Optional<org.sealgate.zk.tls.ZkTlsSettings> zkTls() throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(directory.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        return org.sealgate.zk.tls.ZkTlsSettings.from(p, directory);
    }

    public static PortalSettings load(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            String host = p.getProperty("https.host", "127.0.0.1").strip();
            int httpsPort = Integer.parseInt(p.getProperty("https.port", "8443").strip());
            String[] smtp = required(p, "smtp.gateway").split(":");
            if (smtp.length != 2) {
                throw new IllegalArgumentException("smtp.gateway must be HOST:PORT");
            }
            URI publicUrl = URI.create(p.getProperty("public.url", "https://" + host + ":" + httpsPort).strip());
            if (!"https".equals(publicUrl.getScheme())) {
                throw new IllegalArgumentException("public.url must be an https URL");
            }
            return new PortalSettings(directory, host, httpsPort, Integer.parseInt(p.getProperty("http.port", "-1").strip()),
                publicUrl, path(directory, p, "tls.keystore", "tls/portal.p12"),
                path(directory, p, "tls.keystore.password-file", "tls/portal.p12.password"),
                required(p, "zk.connect"), p.getProperty("zk.namespace", "sealgate").strip(),
                path(directory, p, "zk.credentials", "secrets/gina.credentials"),
                path(directory, p, "gina.keys", "gina.keys"), path(directory, p, "session.keys", "session.keys"),
                Duration.ofMinutes(Long.parseLong(p.getProperty("session.minutes", "30").strip())),
                smtp[0].strip(), Integer.parseInt(smtp[1].strip()),
                Long.parseLong(p.getProperty("upload.max-bytes", Long.toString(32L << 20)).strip()),
                Long.parseLong(p.getProperty("reply.max-attachment-bytes", Long.toString(10L << 20)).strip()),
                Boolean.parseBoolean(p.getProperty("self-service-reset", "false").strip()),
                Integer.parseInt(p.getProperty("argon2.memory-kib", "65536").strip()),
                Integer.parseInt(p.getProperty("argon2.iterations", "3").strip()),
                p.getProperty("node.id", "gina").strip(),
                Boolean.parseBoolean(p.getProperty("tls.demo-certificate", "false").strip()),
                Duration.ofHours(positive(p, "session.max-hours", 8)),
                Duration.ofDays(positive(p, "first-password.days", 14)),
                (int) positive(p, "argon2.max-concurrent", 2),
                Duration.ofMillis(Long.parseLong(p.getProperty("argon2.max-wait-ms", "1000").strip())),
                positive(p, "audit.max-bytes", 10L << 20), (int) positive(p, "audit.files", 5),
                (int) positive(p, "reply.max-per-hour", 20));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Where {@code portal.log} and its rotated files go: under the portal's own (private, writable) directory. */
    public Path logDirectory() {
        return directory.resolve("logs");
    }

    /** The audit trail: JSON lines, one event per line. */
    public Path auditFile() {
        return directory.resolve("audit").resolve("gina-audit.jsonl");
    }

    public Optional<Integer> redirectPort() {
        return httpPort >= 0 ? Optional.of(httpPort) : Optional.empty();
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
