package org.sealgate.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * The certificates a top-level S/MIME signature carries (multipart/signed or opaque signed-data): the intermediate
 * CA certificates a partner sends along, offered as issuer candidates for the signer's revocation check. They are
 * only candidates: an issuer must still verify the signer certificate's signature, and the signer already chained
 * to a trust anchor through them.
 */
final class SignatureCertificates {
    /** A signature larger than this is not read again for its certificates (the verifier already bounded it). */
    private static final int MAX_BYTES = 1024 * 1024;

    private SignatureCertificates() {
    }

    static List<X509Certificate> of(MimeMessage message) {
        try {
            byte[] der = null;
            if (message.isMimeType("multipart/signed") && message.getContent() instanceof Multipart multipart
                    && multipart.getCount() == 2) {
                BodyPart signature = multipart.getBodyPart(1);
                der = read(signature.getInputStream());
            } else if (message.isMimeType("application/pkcs7-mime") || message.isMimeType("application/x-pkcs7-mime")) {
                der = read(message.getInputStream());
            }
            if (der == null) {
                return List.of();
            }
            List<X509Certificate> certificates = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : new CMSSignedData(der).getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
            return certificates;
        } catch (MessagingException | IOException | CMSException | GeneralSecurityException | RuntimeException e) {
            // Whatever cannot be read offers no candidates: the check then finds no issuer (status unknown).
            return List.of();
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            byte[] data = in.readNBytes(MAX_BYTES + 1);
            if (data.length > MAX_BYTES) {
                throw new IOException("signature larger than " + MAX_BYTES + " bytes");
            }
            return data;
        }
    }
}
