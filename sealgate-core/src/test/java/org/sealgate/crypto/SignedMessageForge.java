package org.sealgate.crypto;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.TestMessages;

/** Builds hostile or unusual signed messages that {@link SmimeCrypto#sign} would never produce. */
final class SignedMessageForge {
    static final String CONTENT = "Content-Type: text/plain; charset=us-ascii\r\n\r\nPay invoice 4711.\r\n";

    private SignedMessageForge() {
    }

    /** Detached CMS over the content by each given signer (none: a SignedData with zero SignerInfos). */
    static byte[] detachedSignature(byte[] content, List<IssuedIdentity> signers) throws Exception {
        new SmimeCrypto(); // registers BC
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        List<X509Certificate> certificates = new ArrayList<>();
        for (IssuedIdentity signer : signers) {
            String algorithm = signer.keyPair().getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                    : signer.keyPair().getPrivate().getAlgorithm().startsWith("Ed") ? "Ed25519" : "SHA256withECDSA";
            generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider("BC")
                    .build(algorithm, signer.keyPair().getPrivate(), signer.certificate()));
            certificates.add(signer.certificate());
        }
        generator.addCertificates(new JcaCertStore(certificates));
        return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }

    static MimeMessage multipartSigned(String headers, byte[] content, byte[] signature) {
        String boundary = "forged-boundary-1";
        String head = headers + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " micalg=sha-256; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n";
        String tail = "\r\n--" + boundary + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(signature)
                + "\r\n--" + boundary + "--\r\n";
        byte[] all = concat(head.getBytes(StandardCharsets.ISO_8859_1), content, tail.getBytes(StandardCharsets.ISO_8859_1));
        return TestMessages.parse(all);
    }

    static MimeMessage opaqueSigned(String headers, byte[] cms) {
        return TestMessages.parse(headers + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data;"
                + " name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(cms)
                + "\r\n");
    }

    static byte[] concat(byte[]... arrays) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] array : arrays) {
            out.writeBytes(array);
        }
        return out.toByteArray();
    }
}
