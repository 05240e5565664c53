package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust anchor scopes: the domain patterns, the stored form, and who may vouch for which address. */
class ScopedAnchorTest {
    private static final CertificateIssuer PARTNER_CA = CertificateIssuer.newCa("Partner CA");
    private static final CertificateIssuer OWN_CA = CertificateIssuer.newCa("Own CA");
    private static final CertificateIssuer OLD_CA = CertificateIssuer.newCa("Old CA");

    @TempDir
    Path keysDir;

    @Test
    void scopeShouldCoverItsDomainAndWildcardSubdomainsOnly() {
        ScopedAnchor anchor = new ScopedAnchor(PARTNER_CA.certificate(), ScopedAnchor.parseDomains("Partner.Example, *.partner.example"));

        assertThat(anchor.covers("partner.example")).isTrue();
        assertThat(anchor.covers("SALES.partner.example")).isTrue();
        assertThat(anchor.covers("evilpartner.example")).isFalse();
        assertThat(anchor.covers("partner.example.evil.test")).isFalse();
        assertThat(new ScopedAnchor(PARTNER_CA.certificate(), List.of("*.partner.example")).covers("partner.example")).isFalse();
    }

    @Test
    void parseDomainsShouldRefuseAnythingButDomainsAndLeadingWildcards() {
        assertThatThrownBy(() -> ScopedAnchor.parseDomains("partner.*")).hasMessageContaining("not a domain name");
        assertThatThrownBy(() -> ScopedAnchor.parseDomains("*")).hasMessageContaining("not a domain name");
        assertThatThrownBy(() -> ScopedAnchor.parseDomains(" , ")).hasMessageContaining("no domain given");
        assertThatThrownBy(() -> ScopedAnchor.parseDomains("a.example\nb.example")).hasMessageContaining("not a domain name");
    }

    @Test
    void storedFormShouldKeepTheScopeAndStillReadAsAPlainCertificate() {
        ScopedAnchor anchor = new ScopedAnchor(PARTNER_CA.certificate(), List.of("partner.example", "*.partner.example"));
        byte[] stored = anchor.encoded();

        assertThat(new String(stored, StandardCharsets.US_ASCII)).startsWith("Sealgate-Domains: partner.example, *.partner.example\n");
        assertThat(ScopedAnchor.read(stored)).isEqualTo(anchor);
        assertThat(KeyImports.readCertificates(stored)).containsExactly(PARTNER_CA.certificate());
        assertThat(ScopedAnchor.read(KeyImports.toPem(OLD_CA.certificate()).getBytes(StandardCharsets.US_ASCII)).scoped()).isFalse();
    }

    @Test
    void unscopedAnchorShouldNeverVouchForAManagedDomainButAScopedOneMay() {
        AnchorScopes scopes = new AnchorScopes(List.of(
            new ScopedAnchor(OWN_CA.certificate(), List.of("demo.sealgate.test")),
            new ScopedAnchor(PARTNER_CA.certificate(), List.of("partner.example")),
            ScopedAnchor.unscoped(OLD_CA.certificate())), "demo.sealgate.test"::equals);

        assertThat(scopes.mayVouch(OWN_CA.certificate(), "CEO@Demo.Sealgate.Test")).isTrue();
        assertThat(scopes.mayVouch(PARTNER_CA.certificate(), "ceo@demo.sealgate.test")).isFalse();
        assertThat(scopes.mayVouch(OLD_CA.certificate(), "ceo@demo.sealgate.test")).isFalse();
        assertThat(scopes.mayVouch(OLD_CA.certificate(), "someone@elsewhere.example")).isTrue();
        assertThat(scopes.mayVouch(PARTNER_CA.certificate(), "boss@other.example")).isFalse();
        assertThat(scopes.vouched(PARTNER_CA.certificate(), List.of("Carol@Partner.Example", "ceo@demo.sealgate.test")))
            .containsExactly("carol@partner.example");
    }

    @Test
    void issuingAnchorShouldBeFoundByNameAndSignature() {
        IssuedIdentity carol = PARTNER_CA.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));
        CertificateIssuer impostor = CertificateIssuer.newCa("Partner CA");   // same name, other key
        IssuedIdentity fake = impostor.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));
        AnchorScopes scopes = new AnchorScopes(List.of(new ScopedAnchor(PARTNER_CA.certificate(), List.of("partner.example"))),
            domain -> false);

        assertThat(scopes.issuingAnchor(carol.certificate())).map(ScopedAnchor::certificate).contains(PARTNER_CA.certificate());
        assertThat(scopes.issuingAnchor(fake.certificate())).isEmpty();
    }

    @Test
    void fileKeyDirectoryShouldStoreAndChangeTheScopeOfAnAnchor() {
        FileKeyDirectory keys = FileKeyDirectory.open(keysDir);
        keys.addTrustAnchor(PARTNER_CA.certificate());
        assertThat(keys.scopedTrustAnchors()).singleElement().satisfies(anchor -> assertThat(anchor.scoped()).isFalse());

        keys.addTrustAnchor(new ScopedAnchor(PARTNER_CA.certificate(), List.of("partner.example")));
        keys.addTrustAnchor(PARTNER_CA.certificate());   // an unscoped re-import keeps the scope
        assertThat(FileKeyDirectory.open(keysDir).scopedTrustAnchors()).singleElement()
            .satisfies(anchor -> assertThat(anchor.domains()).containsExactly("partner.example"));
        assertThat(keys.trustAnchors()).containsExactly(PARTNER_CA.certificate());
    }
}
