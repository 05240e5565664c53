package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** A certificate whose RSA key is marked id-RSAES-OAEP (RFC 4055 §1.2) must never get PKCS#1 v1.5. */
class OaepOnlyCertificateTest {
    private final SmimeCrypto crypto = new SmimeCrypto();

    @Test
    void encryptShouldUseOaepForOaepOnlyCertificateEvenWhenPolicySaysPkcs1() throws Exception {
        KeyPair keys = CertificateIssuer.generateKeyPair(KeyType.RSA_2048);
        X509Certificate certificate = oaepOnlyCertificate(keys);
        assertThat(certificate.getPublicKey().getEncoded()).isNotEmpty();

        MimeMessage encrypted = crypto.encrypt(TestMessages.text("oaep only"), List.of(certificate),
                EncryptionPolicy.DEFAULT.withRsa(RsaKeyTransport.PKCS1_V15));

        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        RecipientInformation recipient = new CMSAuthEnvelopedData(cms).getRecipientInfos().getRecipients().iterator().next();
        assertThat(recipient.getKeyEncryptionAlgOID()).isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
        ManagedIdentity identity = new ManagedIdentity("oaep@partner.test", keys.getPrivate(), List.of(certificate));
        assertThat(TestMessages.firstText(crypto.decrypt(encrypted, List.of(identity)).message())).isEqualTo("oaep only");
        assertThat(crypto.checkForEncryption(certificate, Instant.now(), List.of()).usable()).isTrue();
    }

    /** Parsed by the JDK's CertificateFactory, which does not know the OAEP key OID: the hard case. */
    private static X509Certificate oaepOnlyCertificate(KeyPair keys) throws Exception {
        SubjectPublicKeyInfo rsa = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        SubjectPublicKeyInfo oaep = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP),
                rsa.getPublicKeyData().getBytes());
        X509Certificate ca = TestPki.ca().certificate();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=oaep@partner.test"), oaep)
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, "oaep@partner.test")));
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider("BC")
                .build(TestPki.ca().identity().keyPair().getPrivate())).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
