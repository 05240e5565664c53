package org.sealgate.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Writes PKCS#12 files that modern readers accept and old weak ones (RC2/3DES, SHA-1 MAC) are not used:
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and certificates, HMAC-SHA256 MAC. OpenSSL 3 and Java 17 read it.
 */
final class Pkcs12Writer {
    private static final int ITERATIONS = 100_000;

    private Pkcs12Writer() {
    }

    static byte[] encode(String alias, PrivateKey key, List<X509Certificate> chain, char[] password) throws IOException {
        try {
            CertificateIssuer.bouncyCastle();
            JcaX509ExtensionUtils extensionUtils = new JcaX509ExtensionUtils();
            PKCS12SafeBag[] certificateBags = new PKCS12SafeBag[chain.size()];
            for (int i = 0; i < chain.size(); i++) {
                JcaPKCS12SafeBagBuilder builder = new JcaPKCS12SafeBagBuilder(chain.get(i));
                if (i == 0) {
                    builder.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
                    builder.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                            extensionUtils.createSubjectKeyIdentifier(chain.get(0).getPublicKey()));
                }
                certificateBags[i] = builder.build();
            }
            JcaPKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor(password));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                    extensionUtils.createSubjectKeyIdentifier(chain.get(0).getPublicKey()));
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor(password), certificateBags);
            pfx.addData(keyBag.build());
            PKCS12PfxPdu pdu = pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setProvider("BC").setIterationCount(ITERATIONS),
                    password);
            return pdu.getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new IOException("cannot build PKCS#12: " + e.getMessage(), e);
        }
    }

    private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                .setIterationCount(ITERATIONS)
                .setProvider("BC")
                .build(password);
    }
}
