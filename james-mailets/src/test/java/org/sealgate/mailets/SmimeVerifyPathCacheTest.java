package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.audit.AuditEvent;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationStatus;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/**
 * The facade's validated-path cache seen from the mailet: a signer whose path is remembered is still asked about
 * live, and still judged against the key store's anchors and CRLs as they are now.
 */
class SmimeVerifyPathCacheTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String RECIPIENT = "erin@sealgate.test";

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final AtomicReference<RevocationStatus> live = new AtomicReference<>(RevocationStatus.good("ocsp", "good"));
    private final List<RevocationStatus> asked = new ArrayList<>();
    private FileKeyDirectory keys;
    private SmimeVerify mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        keys = FileKeyDirectory.open(dir);
        keys.addTrustAnchor(new ScopedAnchor(TestPki.ca().certificate(),
            ScopedAnchor.parseDomains(MailetFixtures.MANAGED_DOMAIN + ", *." + MailetFixtures.MANAGED_DOMAIN)));
        RevocationChecker checker = (certificate, issuers) -> {
            asked.add(live.get());
            return live.get();
        };
        mailet = new SmimeVerify(crypto, keys, PolicyProvider.builtIn(),
            new KeyHarvester(keys, PgpKeyDirectory.NONE, (AuditEvent event) -> { }), Clock.systemUTC(), Optional.of(checker));
        mailet.init(config(context, "subjectTags", "false"));
    }

    private String verifiedHeader(String body) throws Exception {
        MimeMessage signed = TestMessages.parse(TestMessages.bytes(
            crypto.sign(TestMessages.text(body), TestPki.aliceRsa().toManagedIdentity())));
        Mail mail = mail(signed, ALICE, RECIPIENT);
        mailet.service(mail);
        return mail.getMessage().getHeader(SmimeVerify.SIGNATURE_HEADER, null);
    }

    @Test
    void aSignerRevokedLiveShouldNeverBeServedValidFromTheCache() throws Exception {
        assertThat(verifiedHeader("first")).isEqualTo("valid; signer=" + ALICE);
        live.set(RevocationStatus.revoked("ocsp", "revoked by the responder"));

        String header = verifiedHeader("second");

        assertThat(crypto.pathCache().hits()).as("the path came from the cache").isEqualTo(1);
        assertThat(asked).as("live revocation asked for every message").hasSize(2);
        assertThat(header).startsWith("revoked; signer=" + ALICE);
    }

    @Test
    void aSignerWhoseLiveStatusIsUnknownShouldStayMarkedUnknownOnEveryCachedVerification() throws Exception {
        live.set(RevocationStatus.unknown("responder down"));

        String first = verifiedHeader("first");
        String second = verifiedHeader("second");

        assertThat(crypto.pathCache().hits()).isEqualTo(1);
        assertThat(first).isEqualTo("valid; signer=" + ALICE + "; revocation=unknown");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aCachedSignerShouldBeUntrustedByAKeyStoreWithoutItsAnchor(@TempDir Path otherDir) throws Exception {
        assertThat(verifiedHeader("first")).startsWith("valid");
        // The same facade (one per node, so one cache) behind a key store whose anchors no longer include the CA.
        FileKeyDirectory withoutAnchor = FileKeyDirectory.open(otherDir);
        withoutAnchor.addTrustAnchor(new ScopedAnchor(CertificateIssuer.newCa("Replacement CA", KeyType.EC_P256)
            .certificate(), ScopedAnchor.parseDomains(MailetFixtures.MANAGED_DOMAIN)));
        keys = withoutAnchor;
        mailet = new SmimeVerify(crypto, withoutAnchor, new KeyHarvester(withoutAnchor, PgpKeyDirectory.NONE,
            (AuditEvent event) -> { }));
        mailet.init(config(context, "subjectTags", "false"));

        assertThat(verifiedHeader("second")).startsWith("untrusted");
        assertThat(crypto.pathCache().hits()).isZero();
    }

    @Test
    void aCachedSignerShouldBeRevokedOnceACrlListingItIsImported() throws Exception {
        assertThat(verifiedHeader("first")).startsWith("valid");
        keys.addCrl(TestPki.ca().crl(List.of(TestPki.aliceRsa().certificate().getSerialNumber())));

        assertThat(verifiedHeader("second")).startsWith("revoked");
        assertThat(crypto.pathCache().size()).isEqualTo(1);
    }
}
