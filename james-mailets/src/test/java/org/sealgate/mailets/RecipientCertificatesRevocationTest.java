package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationStatus;
import org.sealgate.testing.RevocationPki;

/**
 * The decision table of {@code revocation: require | prefer | off} at certificate selection. The statuses come from
 * a table (the live sources themselves are proven against real servers in sealgate-core and LiveRevocationTest).
 */
class RecipientCertificatesRevocationTest {
    private static final RevocationPki CA = RevocationPki.newCa("Partner CA");

    @TempDir
    Path dir;
    private FileKeyDirectory keys;
    private final Map<X509Certificate, RevocationStatus> statuses = new java.util.HashMap<>();
    private final List<X509Certificate> asked = new ArrayList<>();
    private final RevocationChecker table = (certificate, issuers) -> {
        asked.add(certificate);
        assertThat(issuers).as("the issuer is offered from the trust anchors").contains(CA.certificate());
        return statuses.get(certificate);
    };

    @BeforeEach
    void store() throws Exception {
        keys = FileKeyDirectory.open(dir);
        keys.addTrustAnchor(CA.certificate());
    }

    private RecipientCertificates selection(String... policy) {
        return new RecipientCertificates(keys, new SmimeCrypto(), Clock.systemUTC(), MailetFixtures.policy(policy),
            Optional.of(table));
    }

    private IssuedIdentity partner(String address, RevocationStatus status) {
        IssuedIdentity identity = CA.issue(address, List.of(), List.of());
        keys.addCertificate(identity.certificate());
        statuses.put(identity.certificate(), status);
        return identity;
    }

    @Test
    void revokedCertificateShouldNeverBeChosenWhateverTheMode() {
        partner("carol@partner.example", RevocationStatus.revoked("ocsp", "OCSP responder says revoked"));

        for (String mode : List.of("require", "prefer")) {
            RecipientCertificates.Selection selection = selection("domain.partner.example.revocation = " + mode)
                .select("carol@partner.example");
            assertThat(selection.usable()).isFalse();
            assertThat(selection.reason()).contains("revoked (OCSP responder says revoked)");
        }
    }

    @Test
    void unknownStatusShouldBeRefusedUnderRequireAndUsedWithANoteUnderPrefer() {
        IssuedIdentity carol = partner("carol@partner.example", RevocationStatus.unknown("responder down"));

        RecipientCertificates.Selection strict = selection("domain.partner.example.revocation = require").select("carol@partner.example");
        RecipientCertificates.Selection lenient = selection().select("carol@partner.example");

        assertThat(strict.usable()).isFalse();
        assertThat(strict.reason()).contains("revocation status unknown").contains("responder down");
        assertThat(lenient.certificate()).contains(carol.certificate());
        assertThat(lenient.note()).contains("unknown, used as revocation: prefer allows (responder down)");
    }

    @Test
    void certificateWithoutPublishedSourcesShouldBeUsedUnmarkedUnderPreferAndRefusedUnderRequire() {
        partner("carol@partner.example", RevocationStatus.notPublished("names no source"));

        assertThat(selection().select("carol@partner.example").note()).isEmpty();
        assertThat(selection().select("carol@partner.example").usable()).isTrue();
        assertThat(selection("domain.partner.example.revocation = require").select("carol@partner.example").usable()).isFalse();
    }

    @Test
    void offShouldAskNobody() {
        partner("carol@partner.example", RevocationStatus.unknown("responder down"));

        RecipientCertificates.Selection selection = selection("domain.partner.example.revocation = off").select("carol@partner.example");

        assertThat(selection.usable()).isTrue();
        assertThat(selection.note()).isEmpty();
        assertThat(asked).isEmpty();
    }
}
