package org.sealgate.keys;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A trust anchor and the mail domains it may vouch for. {@code a.example} is that domain only, {@code *.b.example}
 * every subdomain of b.example (not b.example itself), as in the policy document. An empty scope is an anchor from
 * before scopes existed: it may vouch for any domain except the gateway's managed domains ({@link AnchorScopes}).
 * Stored as the anchor's PEM preceded by one explanatory line (RFC 7468 §2 allows text before the
 * encapsulation boundary), so older readers still see a plain certificate:
 * <pre>
 * Sealgate-Domains: partner.example, *.partner.example
 * -----BEGIN CERTIFICATE-----
 * </pre>
 */
public record ScopedAnchor(X509Certificate certificate, List<String> domains) {
    private static final String HEADER = "Sealgate-Domains:";
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")+");

    public ScopedAnchor {
        Objects.requireNonNull(certificate, "certificate");
        domains = domains.stream().map(ScopedAnchor::checkedPattern).distinct().toList();
    }

    public static ScopedAnchor unscoped(X509Certificate certificate) {
        return new ScopedAnchor(certificate, List.of());
    }

    public boolean scoped() {
        return !domains.isEmpty();
    }

    /** True when one of the patterns names the domain (compared in lower case). */
    public boolean covers(String domain) {
        String wanted = domain.toLowerCase(Locale.ROOT);
        for (String pattern : domains) {
            if (pattern.startsWith("*.") ? wanted.endsWith(pattern.substring(1)) : wanted.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** {@code a.example,*.b.example} as given to {@code keys import-ca --domains}; refuses anything else. */
    public static List<String> parseDomains(String commaSeparated) {
        List<String> patterns = new ArrayList<>();
        for (String item : commaSeparated.split(",")) {
            if (!item.isBlank()) {
                patterns.add(checkedPattern(item));
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no domain given (expected e.g. partner.example,*.partner.example)");
        }
        return List.copyOf(patterns);
    }

    private static String checkedPattern(String raw) {
        String pattern = raw.trim().toLowerCase(Locale.ROOT);
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (!DOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + raw.trim() + "' is not a domain name or '*.' followed by one");
        }
        return pattern;
    }

    /** The stored form: the scope line (when scoped) and the certificate's PEM. */
    public byte[] encoded() {
        String pem = KeyImports.toPem(certificate);
        return ((scoped() ? HEADER + " " + String.join(", ", domains) + "\n" : "") + pem).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the stored form; a plain PEM or DER certificate is an unscoped anchor. */
    public static ScopedAnchor read(byte[] stored) {
        List<X509Certificate> read = KeyImports.readCertificates(stored);
        if (read.size() != 1) {
            throw new IllegalArgumentException("expected one certificate, found " + read.size());
        }
        String text = new String(stored, StandardCharsets.US_ASCII);
        if (!text.startsWith(HEADER)) {
            return unscoped(read.get(0));
        }
        int end = text.indexOf('\n');
        return new ScopedAnchor(read.get(0), parseDomains(text.substring(HEADER.length(), end < 0 ? text.length() : end)));
    }

    @Override
    public String toString() {
        return certificate.getSubjectX500Principal().getName() + (scoped() ? " for " + String.join(", ", domains) : " (unscoped)");
    }
}
