package org.sealgate.keys;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A key pair with its certificate and chain (end-entity first, up to and including the CA).
 */
public record IssuedIdentity(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> chain) {

    public IssuedIdentity {
        chain = List.copyOf(chain);
    }

    /** The identity as the key store holds it, under the certificate's first subjectAltName e-mail address. */
    public ManagedIdentity toManagedIdentity() {
        return toManagedIdentity(firstEmailAddress());
    }

    /** The identity under an explicit address (e.g. an alias the certificate does not name). */
    public ManagedIdentity toManagedIdentity(String address) {
        return new ManagedIdentity(address, keyPair.getPrivate(), chain);
    }

    private String firstEmailAddress() {
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(1).equals(name.get(0))) {
                        return (String) name.get(1);
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException("unreadable subjectAltName", e);
        }
        throw new IllegalStateException("the certificate names no e-mail address; use toManagedIdentity(address)");
    }

    /** The certificate as PEM. */
    public String certificatePem() {
        return CertificateIssuer.pem(certificate);
    }

    /** The unencrypted PKCS#8 private key as PEM, for tests and demo data only. */
    public String privateKeyPem() {
        try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // Plain PKCS#8 v1 without the optional public key: OpenSSL 3.0 refuses BC's v2 X25519/Ed25519 encoding.
            PrivateKeyInfo full = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
            PrivateKeyInfo plain = new PrivateKeyInfo(full.getPrivateKeyAlgorithm(), full.parsePrivateKey());
            writer.writeObject(new PemObject("PRIVATE KEY", plain.getEncoded()));
            writer.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    public void writePem(Path certificateFile, Path privateKeyFile) throws IOException {
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        Files.writeString(privateKeyFile, privateKeyPem(), StandardCharsets.US_ASCII);
    }

    /** PKCS#12 with AES-256-CBC/PBKDF2-HMAC-SHA256 key and certificate bags and an HMAC-SHA256 integrity MAC. */
    public void writePkcs12(Path file, String alias, char[] password) throws IOException {
        Files.write(file, Pkcs12Writer.encode(alias, keyPair.getPrivate(), chain, password));
    }
}
