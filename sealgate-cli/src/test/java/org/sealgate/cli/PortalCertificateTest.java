package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;

class PortalCertificateTest {
    @TempDir
    Path dir;

    @Test
    void importedCertificateShouldLandInAnOwnerOnlyKeyStoreWithItsKey() throws Exception {
        IssuedIdentity identity = CertificateIssuer.newCa("Portal CA").issue(IssueRequest.forEmail("portal@example.org", KeyType.RSA_2048));
        Path cert = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        identity.writePem(cert, key);
        Path store = dir.resolve("gina/tls/portal.p12");
        Path password = dir.resolve("gina/tls/portal.p12.password");

        PortalCertificate.importPem(cert, key, store, password);

        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            loaded.load(in, Files.readString(password).strip().toCharArray());
        }
        assertThat(loaded.isKeyEntry(PortalCertificate.ALIAS)).isTrue();
        assertThat(loaded.getCertificate(PortalCertificate.ALIAS)).isEqualTo(identity.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
    }

    @Test
    void aKeyThatIsNotTheCertificatesShouldBeRefusedAndNothingWritten() throws Exception {
        CertificateIssuer ca = CertificateIssuer.newCa("Portal CA");
        IssuedIdentity one = ca.issue(IssueRequest.forEmail("one@example.org", KeyType.RSA_2048));
        IssuedIdentity other = ca.issue(IssueRequest.forEmail("other@example.org", KeyType.RSA_2048));
        one.writePem(dir.resolve("one.pem"), dir.resolve("one.key"));
        other.writePem(dir.resolve("other.pem"), dir.resolve("other.key"));
        Path store = dir.resolve("portal.p12");

        assertThatThrownBy(() -> PortalCertificate.importPem(dir.resolve("one.pem"), dir.resolve("other.key"), store,
            dir.resolve("portal.p12.password"))).hasMessageContaining("does not belong to the certificate");

        assertThat(store).doesNotExist();
    }

    @Test
    void selfSignedCertificateShouldNameTheHostAndBeMadeOnlyOnce() throws Exception {
        Path store = dir.resolve("console.p12");
        Path password = dir.resolve("console.p12.password");

        assertThat(PortalCertificate.selfSignedIfMissing(store, password, "gina.example.org")).isTrue();
        byte[] first = Files.readAllBytes(store);
        assertThat(PortalCertificate.selfSignedIfMissing(store, password, "gina.example.org")).isFalse();

        assertThat(Files.readAllBytes(store)).isEqualTo(first);
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            loaded.load(in, Files.readString(password).strip().toCharArray());
        }
        X509Certificate certificate = (X509Certificate) loaded.getCertificate(PortalCertificate.ALIAS);
        assertThat(certificate.getSubjectAlternativeNames()).anyMatch(n -> n.get(1).equals("gina.example.org"));
    }
}
