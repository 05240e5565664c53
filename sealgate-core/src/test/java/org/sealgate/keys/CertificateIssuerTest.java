package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.TestPki;
import org.sealgate.testing.Prerequisites;

class CertificateIssuerTest {

    @Test
    void issueShouldPutAddressIntoSubjectAltNameWithSmimeDefaults() throws Exception {
        IssuedIdentity alice = TestPki.aliceRsa();
        X509Certificate certificate = alice.certificate();

        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(1, "alice@sealgate.test"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        certificate.verify(TestPki.ca().certificate().getPublicKey());
        assertThat(alice.chain()).containsExactly(certificate, TestPki.ca().certificate());
    }

    @Test
    void newCaShouldBeSelfSignedCertificateAuthority() throws Exception {
        CertificateIssuer ca = CertificateIssuer.newCa("Demo CA", KeyType.EC_P256);

        ca.certificate().verify(ca.certificate().getPublicKey());
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void issueShouldHonourValidityAndKeyUsageRequests() {
        Instant start = Instant.now().minus(Duration.ofDays(10));
        IssuedIdentity identity = TestPki.ca().issue(IssueRequest.forEmail("x@sealgate.test", KeyType.EC_P256)
                .validity(start, start.plus(Duration.ofDays(5))).keyUsage(KeyUsage.keyAgreement));

        assertThat(identity.certificate().getNotAfter().toInstant()).isBefore(Instant.now());
        assertThat(identity.certificate().getKeyUsage()[0]).isFalse();
        assertThat(identity.certificate().getKeyUsage()[4]).isTrue();
    }

    @Test
    void crlShouldListRevokedSerialsAndBeSignedByCa() throws Exception {
        X509CRL crl = TestPki.ca().crl(List.of(BigInteger.valueOf(42)));

        crl.verify(TestPki.ca().certificate().getPublicKey());
        assertThat(crl.getRevokedCertificate(BigInteger.valueOf(42))).isNotNull();
        assertThat(crl.getRevokedCertificate(BigInteger.valueOf(43))).isNull();
    }

    @Test
    void pkcs12ShouldBeReadableByJavaKeyStore(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("alice.p12");
        TestPki.aliceRsa().writePkcs12(file, "alice", "secret".toCharArray());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "secret".toCharArray());
        }
        assertThat(store.getKey("alice", "secret".toCharArray())).isEqualTo(TestPki.aliceRsa().keyPair().getPrivate());
        assertThat(store.getCertificateChain("alice")).hasSize(2);
    }

    @Test
    void pkcs12ShouldUseAesAndPbkdf2AndBeReadableByOpenSsl(@TempDir Path directory) throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        try (OpenSsl openssl = new OpenSsl()) {
            TestPki.bobEc().writePkcs12(openssl.file("bob.p12"), "bob", "secret".toCharArray());

            OpenSsl.Result info = openssl.run("pkcs12", "-info", "-in", "bob.p12", "-passin", "pass:secret", "-noout");

            assertThat(info.ok()).as(info.toString()).isTrue();
            assertThat(info.stderr()).contains("PBKDF2").contains("AES-256-CBC").contains("sha256");
        }
    }

    @Test
    void pemShouldBeReadableByOpenSsl() {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        try (OpenSsl openssl = new OpenSsl()) {
            IssuedIdentity identity = TestPki.aliceRsa();
            openssl.write("cert.pem", identity.certificatePem());
            openssl.write("key.pem", identity.privateKeyPem());
            openssl.write("ca.pem", TestPki.ca().certificatePem());

            assertThat(openssl.run("verify", "-purpose", "smimesign", "-CAfile", "ca.pem", "cert.pem").ok()).isTrue();
            assertThat(openssl.run("pkey", "-in", "key.pem", "-noout").ok()).isTrue();
        }
    }
}
