package org.sealgate.console;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyImports;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * Key import and export in the console, public keys only: a partner's X.509 certificate (PEM) or OpenPGP public key
 * (ASCII armour) pasted into the form (at most {@link #MAX_KEY_CHARS}), checked as {@code sealgate keys import-cert}
 * and {@code import-pgp} check them (parsable, names an e-mail address); anything carrying a private or secret key
 * is refused without being parsed. Export: a partner certificate or OpenPGP public key by fingerprint, as a
 * download. Every import, refusal and export is audited with the admin's name.
 */
final class KeyFlows {
    static final int MAX_KEY_CHARS = 48 * 1024;
    static final String PEM_TYPE = "application/pem-certificate-chain";
    static final String PGP_TYPE = "application/pgp-keys";

    private final ConsoleContext context;

    KeyFlows(ConsoleContext context) {
        this.context = context;
    }

    ConsoleResponse page(ConsoleSessions.Session session, Optional<String> notice, Optional<String> error) {
        return ConsoleResponse.html(200, KeyPages.list(session, context.keys(), context.pgpKeys(), notice, error));
    }

    ConsoleResponse importKey(ConsoleSessions.Session session, Map<String, String> form, String client) {
        String text = form.getOrDefault("key", "").strip();
        String refusal = refusal(text);
        if (refusal != null) {
            context.audit().record(session.admin(), "key-import", "refused", client, Map.of("why", refusal));
            return ConsoleResponse.html(422, KeyPages.list(session, context.keys(), context.pgpKeys(), Optional.empty(),
                Optional.of(refusal))).header("X-Sealgate-Outcome", "refused");
        }
        List<String> imported = new ArrayList<>();
        try {
            if (text.startsWith("-----BEGIN CERTIFICATE-----")) {
                List<X509Certificate> certificates = KeyImports.readCertificates(text.getBytes(StandardCharsets.US_ASCII));
                for (X509Certificate certificate : certificates) {
                    if (SmimeCrypto.emailAddresses(certificate).isEmpty()) {
                        throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal()
                            + " names no e-mail address; it cannot be used for anyone");
                    }
                }
                for (X509Certificate certificate : certificates) {
                    context.keys().addCertificate(certificate);
                    imported.add("certificate for " + String.join(", ", SmimeCrypto.emailAddresses(certificate)) + " "
                        + Fingerprints.sha256(certificate));
                }
            } else {
                List<OpenPGPCertificate> keys = PgpKeys.readAll(text.getBytes(StandardCharsets.US_ASCII));
                for (OpenPGPCertificate key : keys) {
                    if (key instanceof OpenPGPKey) {
                        throw new IllegalArgumentException("a secret OpenPGP key: the console imports public keys only");
                    }
                    if (PgpKeys.addresses(key).isEmpty()) {
                        throw new IllegalArgumentException("OpenPGP key " + PgpKeys.fingerprint(key)
                            + " has no valid user ID with an e-mail address; it cannot be used for anyone");
                    }
                }
                for (OpenPGPCertificate key : keys) {
                    PgpPublicKey stored = context.pgpKeys().addPublicKey(key, PgpPublicKey.Source.IMPORTED);
                    imported.add("OpenPGP key for " + String.join(", ", stored.addresses()) + " " + stored.fingerprint());
                }
            }
        } catch (IllegalArgumentException e) {
            String why = "not imported: " + e.getMessage();
            context.audit().record(session.admin(), "key-import", "refused", client, Map.of("why", why));
            return ConsoleResponse.html(422, KeyPages.list(session, context.keys(), context.pgpKeys(), Optional.empty(),
                Optional.of(why)));
        }
        context.audit().record(session.admin(), "key-import", "success", client, Map.of("keys", String.join("; ", imported)));
        return page(session, Optional.of("Imported " + String.join("; ", imported) + "."), Optional.empty());
    }

    /** A partner certificate by its SHA-256 fingerprint, as a PEM download. */
    ConsoleResponse exportCertificate(ConsoleSessions.Session session, Map<String, String> query, String client) {
        String fingerprint = hex(query.get("sha256"));
        for (X509Certificate certificate : context.keys().certificates()) {
            if (Fingerprints.sha256(certificate).replace(":", "").toLowerCase(Locale.ROOT).equals(fingerprint)) {
                context.audit().record(session.admin(), "key-export", "success", client, Map.of("sha256", fingerprint));
                return download(PEM_TYPE, fingerprint.substring(0, 16) + ".pem", KeyImports.toPem(certificate));
            }
        }
        return notFound(session, client, fingerprint);
    }

    /** A partner OpenPGP public key by its fingerprint, as an ASCII-armoured download. */
    ConsoleResponse exportPgp(ConsoleSessions.Session session, Map<String, String> query, String client) {
        String fingerprint = hex(query.get("fingerprint"));
        for (PgpPublicKey key : context.pgpKeys().publicKeys()) {
            if (key.fingerprint().toLowerCase(Locale.ROOT).equals(fingerprint)) {
                context.audit().record(session.admin(), "key-export", "success", client, Map.of("fingerprint", fingerprint));
                return download(PGP_TYPE, fingerprint.substring(0, 16) + ".asc", PgpKeys.armored(key.certificate()));
            }
        }
        return notFound(session, client, fingerprint);
    }

    /** Why a pasted text is refused before parsing, or null. */
    private static String refusal(String text) {
        if (text.isEmpty()) {
            return "not imported: paste a PEM certificate or an ASCII-armoured OpenPGP public key";
        }
        if (text.length() > MAX_KEY_CHARS) {
            return "not imported: larger than " + MAX_KEY_CHARS / 1024 + " KiB";
        }
        if (text.contains("PRIVATE KEY") || text.contains("PGP PRIVATE KEY BLOCK") || text.contains("ENCRYPTED")) {
            return "not imported: this contains a private key; the console never takes private keys"
                + " (managed keys: ./sealgate keys import-p12 / import-pgp on an admin host)";
        }
        if (!text.startsWith("-----BEGIN CERTIFICATE-----") && !text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            return "not imported: neither a PEM certificate (-----BEGIN CERTIFICATE-----) nor an OpenPGP public key"
                + " (-----BEGIN PGP PUBLIC KEY BLOCK-----)";
        }
        return null;
    }

    private ConsoleResponse notFound(ConsoleSessions.Session session, String client, String fingerprint) {
        context.audit().record(session.admin(), "key-export", "not-found", client, Map.of("fingerprint", fingerprint));
        return ConsoleResponse.html(404, ConsolePages.error(Optional.of(session), "Not found",
            "No partner key with that fingerprint."));
    }

    private static ConsoleResponse download(String type, String fileName, String body) {
        return ConsoleResponse.bytes(type, body.getBytes(StandardCharsets.US_ASCII))
            .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }

    private static String hex(String value) {
        String hex = value == null ? "" : value.replace(":", "").strip().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{32,64}")) {
            throw new IllegalArgumentException("not a fingerprint");
        }
        return hex;
    }
}
