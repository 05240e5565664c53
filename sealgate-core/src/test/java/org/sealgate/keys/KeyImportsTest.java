package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.sealgate.keys.KeyDirectoryTestCertificates.Issued;

class KeyImportsTest {
    private static final char[] PASSWORD = "import-secret".toCharArray();
    private static Issued ca;
    private static Issued alice;
    private static Issued bob;

    @BeforeAll
    static void issueCertificates() {
        ca = KeyDirectoryTestCertificates.selfSignedCa("Import CA");
        alice = KeyDirectoryTestCertificates.userWithAltNames(ca, "alice@example.org");
        bob = KeyDirectoryTestCertificates.userWithAltNames(ca, "bob@example.org");
    }

    @Test
    void readCertificatesShouldAcceptDer() throws Exception {
        assertThat(KeyImports.readCertificates(alice.certificate().getEncoded())).containsExactly(alice.certificate());
    }

    @Test
    void readCertificatesShouldAcceptPem() {
        byte[] pem = KeyImports.toPem(alice.certificate()).getBytes(StandardCharsets.US_ASCII);

        assertThat(KeyImports.readCertificates(pem)).containsExactly(alice.certificate());
    }

    @Test
    void readCertificatesShouldReturnEveryCertificateOfAPemBundleIgnoringTextAndKeys() {
        String bundle = "Bag Attributes: exported by some tool\n" + KeyImports.toPem(alice.certificate())
                + "\n-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(bob.keyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n"
                + KeyImports.toPem(bob.certificate()) + KeyImports.toPem(ca.certificate());

        assertThat(KeyImports.readCertificates(bundle.getBytes(StandardCharsets.US_ASCII)))
                .containsExactly(alice.certificate(), bob.certificate(), ca.certificate());
    }

    @Test
    void readCertificatesShouldRejectGarbage() {
        assertThatThrownBy(() -> KeyImports.readCertificates("hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyImports.readCertificates("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"
                .getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no certificate found");
    }

    @Test
    void readCrlsShouldAcceptPemAndDer() throws Exception {
        X509CRL crl = KeyDirectoryTestCertificates.emptyCrl(ca);

        assertThat(KeyImports.readCrls(crl.getEncoded())).containsExactly(crl);
        assertThat(KeyImports.readCrls(KeyImports.toPem(crl).getBytes(StandardCharsets.US_ASCII))).containsExactly(crl);
    }

    @Test
    void pkcs12ShouldRoundTripKeyAndChain() {
        ManagedIdentity identity = alice.asIdentity("alice@example.org", ca.certificate());

        ManagedIdentity read = KeyImports.readPkcs12(KeyImports.writePkcs12(identity, PASSWORD), PASSWORD).get(0);

        assertThat(read.address()).isEqualTo("alice@example.org");
        assertThat(read.privateKey().getEncoded()).isEqualTo(identity.privateKey().getEncoded());
        assertThat(read.chain()).containsExactly(alice.certificate(), ca.certificate());
    }

    @Test
    void importShouldTakeTheAddressFromTheCertificateWhenTheAliasIsNoAddress() throws Exception {
        byte[] pkcs12 = pkcs12WithKeyEntry("my key", alice);

        assertThat(KeyImports.readPkcs12(pkcs12, PASSWORD)).singleElement()
                .extracting(ManagedIdentity::address).isEqualTo("alice@example.org");
    }

    @Test
    void importShouldRejectPkcs12WithoutPrivateKey() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("alice", alice.certificate());

        assertThatThrownBy(() -> KeyImports.readPkcs12(stored(store), PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the PKCS#12 file contains no private key");
    }

    @Test
    void importShouldRejectCertificateWithoutEmailAddress() throws Exception {
        byte[] pkcs12 = pkcs12WithKeyEntry("nomail", KeyDirectoryTestCertificates.userWithoutAddress(ca));

        assertThatThrownBy(() -> KeyImports.readPkcs12(pkcs12, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no e-mail address")
                .hasMessageContaining("CN=No Mail");
    }

    @Test
    void importShouldRejectAWrongPasswordWithoutRevealingIt() {
        byte[] pkcs12 = KeyImports.writePkcs12(alice.asIdentity("alice@example.org"), PASSWORD);

        assertThatThrownBy(() -> KeyImports.readPkcs12(pkcs12, "wrong-guess".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a PKCS#12 file or wrong password")
                .hasMessageNotContaining("wrong-guess");
    }

    @Test
    void pkcs12ShouldBeWrittenWithAes256AndPbkdf2() throws Exception {
        byte[] pkcs12 = KeyImports.writePkcs12(alice.asIdentity("alice@example.org"), PASSWORD);
        // DER-encoded OIDs: PBES2 (1.2.840.113549.1.5.13) and AES-256-CBC (2.16.840.1.101.3.4.1.42).
        byte[] pbes2 = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] aes256 = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a};

        assertThat(contains(pkcs12, pbes2)).isTrue();
        assertThat(contains(pkcs12, aes256)).isTrue();
    }

    @Test
    void certificateAddressesShouldPreferAltNamesOverTheSubjectDn() {
        Issued legacy = KeyDirectoryTestCertificates.userWithEmailInSubject(ca, "Old@Example.org");

        assertThat(CertificateAddresses.of(legacy.certificate())).containsExactly("old@example.org");
        assertThat(CertificateAddresses.of(alice.certificate())).containsExactly("alice@example.org");
        assertThat(CertificateAddresses.of(ca.certificate())).isEmpty();
    }

    private static byte[] pkcs12WithKeyEntry(String alias, Issued issued) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, issued.keyPair().getPrivate(), PASSWORD, new Certificate[] {issued.certificate()});
        return stored(store);
    }

    private static byte[] stored(KeyStore store) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD);
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
