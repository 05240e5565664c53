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

/**
 * The keys page: partner certificates, trust anchors (with their domain scope) and CRLs from the cluster's key
 * store. The console holds no master key, so managed users' private keys stay sealed and are not listed here
 * ({@code ./sealgate keys list --master-key FILE} shows them). Import and export stay with the CLI for now.
 */
final class KeyPages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private KeyPages() {
    }

    static String list(ConsoleSessions.Session session, KeyDirectory keys) {
        StringBuilder partners = new StringBuilder();
        for (X509Certificate certificate : keys.certificates()) {
            partners.append("<tr class=\"partner\"><td>").append(escape(String.join(", ", SmimeCrypto.emailAddresses(certificate))))
                .append("</td><td>").append(DAY.format(certificate.getNotAfter().toInstant())).append("</td><td><code>")
                .append(escape(Fingerprints.sha256(certificate))).append("</code></td></tr>\n");
        }
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
        return ConsolePages.layout("Keys", Optional.of(session), """
            <h2>Partner certificates (the gateway encrypts to them)</h2>
            <table id="partners"><thead><tr><th>Addresses</th><th>Valid until</th><th>SHA-256</th></tr></thead><tbody>
            %s</tbody></table>
            <h2>Trust anchors</h2>
            <table id="anchors"><thead><tr><th>Anchor and scope</th><th>SHA-256</th></tr></thead><tbody>
            %s</tbody></table>
            <h2>CRLs</h2>
            <table id="crls"><thead><tr><th>Issuer</th><th>Next update</th></tr></thead><tbody>
            %s</tbody></table>
            <p class="hint">Managed users' keys are sealed under the cluster master key, which the console does not hold:
            list them with <code>./sealgate keys list --master-key FILE</code>. Import and export: <code>./sealgate keys</code>.</p>
            """.formatted(partners, anchors, crls));
    }
}
