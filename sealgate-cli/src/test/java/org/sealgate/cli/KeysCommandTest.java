package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.OpenPgpTools;

class KeysCommandTest {
    @TempDir
    Path data;
    CertificateIssuer ca;

    @BeforeEach
    void setUp() {
        ca = CertificateIssuer.newCa("CLI Test CA");
    }

    @Test
    void importCertShouldMakeThePartnerCertificateUsableByAddress() throws Exception {
        IssuedIdentity carol = ca.issue(IssueRequest.forEmail("Carol@Partner.Example", KeyType.RSA_2048));
        Path pem = data.resolve("carol.pem");
        Files.writeString(pem, carol.certificatePem());

        String out = run("import-cert", pem.toString());

        assertThat(out).contains("carol@partner.example").contains(Fingerprints.sha256(carol.certificate()));
        assertThat(keys().certificatesFor("carol@partner.example")).containsExactly(carol.certificate());
    }

    @Test
    void importCertShouldAcceptDer() throws Exception {
        IssuedIdentity dora = ca.issue(IssueRequest.forEmail("dora@partner.example", KeyType.EC_P256));
        Path der = data.resolve("dora.der");
        Files.write(der, dora.certificate().getEncoded());

        run("import-cert", der.toString());

        assertThat(keys().certificatesFor("dora@partner.example")).hasSize(1);
    }

    @Test
    void importCaAndCrlShouldBeStoredAsTrustAnchorAndRevocationList() throws Exception {
        Path caFile = data.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        IssuedIdentity revoked = ca.issue(IssueRequest.forEmail("gone@partner.example", KeyType.RSA_2048));
        Path crlFile = data.resolve("ca.crl");
        Files.writeString(crlFile, CertificateIssuer.pem(ca.crl(List.of(revoked.certificate().getSerialNumber()))));

        run("import-ca", caFile.toString());
        String out = run("import-crl", crlFile.toString());

        assertThat(out).contains("1 revoked");
        assertThat(keys().trustAnchors()).containsExactly(ca.certificate());
        assertThat(keys().crls()).hasSize(1);
    }

    @Test
    void importCaWithDomainsShouldStoreTheScopeAndListIt() throws Exception {
        Path caFile = data.resolve("partner-ca.pem");
        Files.writeString(caFile, ca.certificatePem());

        String out = run("import-ca", caFile.toString(), "--domains", "partner.example,*.Partner.Example");

        assertThat(out).contains("for partner.example, *.partner.example");
        assertThat(keys().scopedTrustAnchors()).singleElement()
            .satisfies(anchor -> assertThat(anchor.domains()).containsExactly("partner.example", "*.partner.example"));
        assertThat(run("list")).contains("for partner.example, *.partner.example");
        assertThatThrownBy(() -> run("import-ca", caFile.toString(), "--domains", "partner.*"))
            .hasMessageContaining("--domains").hasMessageContaining("not a domain name");
    }

    @Test
    void importP12ThenExportCertShouldRoundTripTheManagedUsersCertificate() throws Exception {
        IssuedIdentity alice = ca.issue(IssueRequest.forEmail("alice@demo.sealgate.test", KeyType.RSA_2048));
        Path p12 = data.resolve("alice.p12");
        alice.writePkcs12(p12, "alice", "s3cret pass".toCharArray());
        Path password = data.resolve("pw.txt");
        Files.writeString(password, "s3cret pass\n");

        run("import-p12", p12.toString(), "--password-file", password.toString());
        String exported = run("export-cert", "ALICE@demo.sealgate.test");

        assertThat(exported).isEqualTo(alice.certificatePem());
        assertThat(keys().managedIdentity("alice@demo.sealgate.test")).isPresent();
    }

    @Test
    void importP12ShouldRefuseAWrongPassword() throws Exception {
        IssuedIdentity alice = ca.issue(IssueRequest.forEmail("alice@demo.sealgate.test", KeyType.RSA_2048));
        Path p12 = data.resolve("alice.p12");
        alice.writePkcs12(p12, "alice", "right".toCharArray());
        Path password = data.resolve("pw.txt");
        Files.writeString(password, "hunter2-Xq");

        assertThatThrownBy(() -> run("import-p12", p12.toString(), "--password-file", password.toString()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wrong password").hasMessageNotContaining("hunter2-Xq");
        assertThat(keys().managedIdentities()).isEmpty();
    }

    @Test
    void exportCertShouldRefuseAnAddressWithoutManagedKey() {
        assertThatThrownBy(() -> run("export-cert", "nobody@demo.sealgate.test"))
            .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("no managed key for nobody@demo.sealgate.test");
    }

    @Test
    void importCertShouldRefuseACertificateWithoutEmailAddress() throws Exception {
        Path caFile = data.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());

        assertThatThrownBy(() -> run("import-cert", caFile.toString()))
            .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("names no e-mail address");
    }

    @Test
    void listShouldShowEverySectionAndRemoveShouldForgetTheAddress() throws Exception {
        IssuedIdentity carol = ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));
        keys().addCertificate(carol.certificate());
        keys().addTrustAnchor(ca.certificate());

        String listed = run("list");
        assertThat(listed).contains("Managed keys", "Partner certificates", "carol@partner.example", "Trust anchors", "CN=CLI Test CA");

        assertThat(run("remove", "carol@partner.example")).contains("removed 1 entries");
        assertThat(keys().certificatesFor("carol@partner.example")).isEmpty();
    }

    @Test
    void unknownActionAndUnknownOptionShouldBeUsageErrors() {
        assertThatThrownBy(() -> run("frobnicate")).isInstanceOf(Arguments.UsageException.class);
        assertThatThrownBy(() -> KeysCommand.run(List.of("list", "--bogus", "x"), new PrintStream(new ByteArrayOutputStream())))
            .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("--bogus");
    }

    @Test
    void importPgpShouldStorePartnerKeysAndProtectedManagedKeysAndExportThePublicPart() throws Exception {
        try (OpenPgpTools tools = new OpenPgpTools()) {
            Path carol = tools.write("carol.asc", tools.gpgGenerateKey("Carol <carol@partner.example>"));
            OpenPgpTools.check(tools.gpg("--passphrase", "pw", "--quick-gen-key", "Alice <alice@demo.sealgate.test>",
                "future-default", "default", "never"));
            Path alice = tools.write("alice-secret.asc", OpenPgpTools.check(tools.gpg("--passphrase", "pw", "--armor",
                "--export-secret-keys", "alice@demo.sealgate.test")).stdout());
            Path password = tools.write("pw.txt", "pw\n");

            assertThat(run("import-pgp", carol.toString())).contains("imported OpenPGP key for carol@partner.example  v4");
            assertThatThrownBy(() -> run("import-pgp", alice.toString())).isInstanceOf(Arguments.UsageException.class)
                .hasMessageContaining("passphrase");
            assertThat(run("import-pgp", alice.toString(), "--password-file", password.toString()))
                .contains("imported managed OpenPGP key for alice@demo.sealgate.test");
            String exported = run("export-pgp", "alice@demo.sealgate.test");
            String listed = run("list");

            assertThat(exported).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
            tools.write("exported.asc", exported);
            assertThat(OpenPgpTools.check(tools.gpg("--show-keys", "--with-colons", "exported.asc")).out())
                .contains("alice@demo.sealgate.test").doesNotContain("sec:");
            assertThat(listed).contains("Managed OpenPGP keys").contains("alice@demo.sealgate.test  v4")
                .contains("carol@partner.example  v4  imported");
            assertThat(run("remove", "carol@partner.example")).contains("removed 1 entries");
            assertThatThrownBy(() -> run("export-pgp", "nobody@demo.sealgate.test"))
                .isInstanceOf(Arguments.UsageException.class);
        }
    }

    @Test
    void importPgpShouldRefuseGarbage() throws Exception {
        Path garbage = Files.writeString(data.resolve("garbage.asc"), "not a key");

        assertThatThrownBy(() -> run("import-pgp", garbage.toString())).isInstanceOf(Arguments.UsageException.class)
            .hasMessageContaining("OpenPGP");
    }

    private KeyDirectory keys() {
        return FileKeyDirectory.open(data.resolve("keys"));
    }

    @Test
    void listShouldShowEachDiscoveredKeyWithItsSourceAndRemoveShouldDropIt() throws Exception {
        IssuedIdentity erin = ca.issue(IssueRequest.forEmail("erin@partner.example", KeyType.EC_P256));
        org.bouncycastle.openpgp.api.OpenPGPKey fay = org.sealgate.pgp.PgpKeys.generate("Fay <fay@keys.example>", 4);
        java.time.Instant found = java.time.Instant.parse("2026-12-06T05:40:00Z");
        org.sealgate.keys.discovery.FileDiscoveredKeyStore store =
            new org.sealgate.keys.discovery.FileDiscoveredKeyStore(data.resolve("keys").resolve("discovered"));
        store.store(org.sealgate.keys.discovery.DiscoveredKey.smime("erin@partner.example", "ldap ldaps://10.0.0.5:636",
            found, erin.certificate()));
        store.store(org.sealgate.keys.discovery.DiscoveredKey.openPgp("fay@keys.example",
            "wkd https://openpgpkey.keys.example", found, fay.toCertificate()));

        String out = run("list");

        assertThat(out).contains("Discovered keys")
            .contains("erin@partner.example  S/MIME  until").contains(Fingerprints.sha256(erin.certificate())
                + "  source ldap ldaps://10.0.0.5:636  found 2026-12-06T05:40:00Z")
            .contains("fay@keys.example  OpenPGP v4  " + org.sealgate.pgp.PgpKeys.fingerprint(fay.toCertificate())
                + "  source wkd https://openpgpkey.keys.example");
        assertThat(run("remove", "erin@partner.example")).contains("removed 1 entries");
        assertThat(run("list")).doesNotContain("erin@partner.example").contains("fay@keys.example");
    }

    private String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--data", data.toString()));
        KeysCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
