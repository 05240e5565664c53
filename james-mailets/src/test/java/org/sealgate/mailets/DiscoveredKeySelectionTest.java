package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.policy.PolicyFile;

/**
 * Discovered keys in the recipient selection, with the real file stores: never over an imported key, checked again
 * at use (expiry, the CA still a scoped trust anchor, the address).
 */
class DiscoveredKeySelectionTest {
    private static final String CAROL = "carol@partner.example";

    @TempDir
    Path data;
    FileKeyDirectory keys;
    FilePgpKeyDirectory pgpKeys;
    FileDiscoveredKeyStore discovered;
    CertificateIssuer partnerCa;

    @BeforeEach
    void setUp() throws Exception {
        keys = FileKeyDirectory.open(data.resolve("keys"));
        pgpKeys = FilePgpKeyDirectory.open(data);
        discovered = new FileDiscoveredKeyStore(data.resolve("keys").resolve("discovered"));
        partnerCa = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256);
        keys.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example")));
        java.nio.file.Files.writeString(data.resolve("policy.properties"), "default.encrypt = opportunistic\n");
    }

    @Test
    void anImportedCertificateShouldWinOverADiscoveredOne() {
        IssuedIdentity imported = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.EC_P256));
        IssuedIdentity planted = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.EC_P256));
        keys.addCertificate(imported.certificate());
        discovered.store(DiscoveredKey.smime(CAROL, "ldap ldap://dir", Instant.now(), planted.certificate()));

        assertThat(certificates(Clock.systemUTC()).select(CAROL).certificate()).contains(imported.certificate());
    }

    @Test
    void aDiscoveredCertificateShouldBeUsedOnlyWhileItIsValidAndItsCaAScopedAnchor() {
        IssuedIdentity found = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.EC_P256));
        discovered.store(DiscoveredKey.smime(CAROL, "ldap ldap://dir", Instant.now(), found.certificate()));

        assertThat(certificates(Clock.systemUTC()).select(CAROL).certificate()).contains(found.certificate());
        Clock later = Clock.fixed(found.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        assertThat(certificates(later).select(CAROL).reason()).contains("discovered certificate").contains("expired");
        // The anchor's scope narrowed by the admin: the stored certificate no longer qualifies.
        keys.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("other.example")));
        assertThat(certificates(Clock.systemUTC()).select(CAROL).usable()).isFalse();
    }

    @Test
    void aDiscoveredOpenPgpKeyShouldBeUsedOnlyWithoutAUsableImportedOneAndForItsOwnAddress() {
        OpenPGPKey found = PgpKeys.generate("Carol <" + CAROL + ">", 4);
        OpenPGPKey other = PgpKeys.generate("Mallory <mallory@evil.example>", 4);
        discovered.store(DiscoveredKey.openPgp(CAROL, "hkp https://keys", Instant.now(), found.toCertificate()));
        // Filed under Carol's address by a damaged or tampered store: its user ID does not name her.
        discovered.store(DiscoveredKey.openPgp(CAROL, "hkp https://keys", Instant.now().plusSeconds(1),
            other.toCertificate()));

        RecipientPgpKeys.Selection selection = pgpKeysSelection().select(CAROL);
        assertThat(selection.usable()).isTrue();
        assertThat(selection.key().orElseThrow().source()).isEqualTo(PgpPublicKey.Source.DISCOVERED);
        assertThat(selection.key().orElseThrow().fingerprint()).isEqualTo(PgpKeys.fingerprint(found));

        OpenPGPKey imported = PgpKeys.generate("Carol <" + CAROL + ">", 4);
        pgpKeys.addPublicKey(imported.toCertificate(), PgpPublicKey.Source.IMPORTED);
        assertThat(pgpKeysSelection().select(CAROL).key().orElseThrow().fingerprint())
            .isEqualTo(PgpKeys.fingerprint(imported));
    }

    private RecipientCertificates certificates(Clock clock) {
        return new RecipientCertificates(keys, new SmimeCrypto(), clock, discovered);
    }

    private RecipientPgpKeys pgpKeysSelection() {
        return new RecipientPgpKeys(pgpKeys, new PolicyFile(data.resolve("policy.properties")), Clock.systemUTC(),
            discovered);
    }
}
