package org.sealgate.console;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpPublicKey;

/**
 * The keys page: partner certificates, trust anchors (with their domain scope) and CRLs from the cluster's key
 * store. The console holds no master key, so managed users' private keys stay sealed and are not listed here
 * ({@code ./sealgate keys list --master-key FILE} shows them). Partner keys are imported and exported here ({@link KeyFlows}).
 */
final class KeyPages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private KeyPages() {
    }

    static String list(ConsoleSessions.Session session, KeyDirectory keys) {
        return list(session, keys, null, Optional.empty(), Optional.empty());
    }

    /** With the OpenPGP partner keys (when {@code pgpKeys} is not null), the import form and a notice or error. */
    static String list(ConsoleSessions.Session session, KeyDirectory keys, PgpKeyDirectory pgpKeys, Optional<String> notice,
                       Optional<String> error) {
        StringBuilder partners = new StringBuilder();
        for (X509Certificate certificate : keys.certificates()) {
            String fingerprint = Fingerprints.sha256(certificate);
            partners.append("<tr class=\"partner\"><td>").append(escape(String.join(", ", SmimeCrypto.emailAddresses(certificate))))
                .append("</td><td>").append(DAY.format(certificate.getNotAfter().toInstant())).append("</td><td><code>")
                .append(escape(fingerprint)).append("</code></td><td><a class=\"export\" href=\"/keys/export?sha256=")
                .append(escape(fingerprint)).append("\">Export</a></td></tr>\n");
        }
        StringBuilder pgp = new StringBuilder();
        if (pgpKeys != null) {
            for (PgpPublicKey key : pgpKeys.publicKeys()) {
                pgp.append("<tr class=\"pgp-partner\"><td>").append(escape(String.join(", ", key.addresses())))
                    .append("</td><td>").append(escape(String.valueOf(key.source()).toLowerCase(java.util.Locale.ROOT)))
                    .append("</td><td><code>").append(escape(key.fingerprint()))
                    .append("</code></td><td><a class=\"export\" href=\"/keys/export-pgp?fingerprint=")
                    .append(escape(key.fingerprint())).append("\">Export</a></td></tr>\n");
            }
        }
        String pgpTable = pgpKeys == null ? "" : """
            <h2>Partner OpenPGP keys</h2>
            <table id="pgp-partners"><thead><tr><th>Addresses</th><th>Source</th><th>Fingerprint</th><th></th></tr></thead><tbody>
            %s</tbody></table>
            """.formatted(pgp);
        String importForm = """
            <h2>Import a partner key</h2>
            <form method="post" action="/keys/import" id="key-import">%s
            <label>PEM certificate or ASCII-armoured OpenPGP public key (public keys only, at most 48 KiB)
            <textarea name="key" id="key-text" rows="8" cols="70" maxlength="49152" required></textarea></label>
            <button type="submit" id="key-import-submit">Import</button></form>
            """.formatted(ConsolePages.csrf(session));
        StringBuilder anchors = new StringBuilder();
        for (ScopedAnchor anchor : keys.scopedTrustAnchors()) {
            anchors.append("<tr class=\"anchor\"><td>").append(escape(anchor.toString())).append("</td><td><code>")
                .append(escape(Fingerprints.sha256(anchor.certificate()))).append("</code></td></tr>\n");
        }
        StringBuilder crls = new StringBuilder();
        for (X509CRL crl : keys.crls()) {
            crls.append("<tr class=\"crl\"><td>").append(escape(crl.getIssuerX500Principal().getName())).append("</td><td>")
                .append(crl.getNextUpdate() == null ? "-" : DAY.format(crl.getNextUpdate().toInstant())).append("</td></tr>\n");
        }
        return ConsolePages.layout("Keys", Optional.of(session), ConsolePages.notice(notice, "notice")
            + ConsolePages.notice(error, "error") + """
            <h2>Partner certificates (the gateway encrypts to them)</h2>
            <table id="partners"><thead><tr><th>Addresses</th><th>Valid until</th><th>SHA-256</th><th></th></tr></thead><tbody>
            %s</tbody></table>
            <h2>Trust anchors</h2>
            <table id="anchors"><thead><tr><th>Anchor and scope</th><th>SHA-256</th></tr></thead><tbody>
            %s</tbody></table>
            <h2>CRLs</h2>
            <table id="crls"><thead><tr><th>Issuer</th><th>Next update</th></tr></thead><tbody>
            %s</tbody></table>
            <p class="hint">Managed users' keys are sealed under the cluster master key, which the console does not hold:
            list them with <code>./sealgate keys list --master-key FILE</code>; trust anchors, CRLs and managed keys are
            imported with <code>./sealgate keys</code>.</p>
            """.formatted(partners, anchors, crls) + pgpTable + importForm);
    }
}
