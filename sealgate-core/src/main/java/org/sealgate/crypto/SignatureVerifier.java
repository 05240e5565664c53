package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.sealgate.keys.Addresses;

/** The MIME half of verification: finds the signed entity, hands the CMS to {@link SignedDataChecker}. */
final class SignatureVerifier {

    private SignatureVerifier() {
    }

    /** A signed entity found in a message: the CMS object and the content it covers. */
    private record SignedEntity(CMSSignedData cms, byte[] content) {
    }

    static VerificationResult verify(MimeMessage message, VerificationPolicy policy, ValidatedPathCache paths) {
        try {
            Optional<SignedEntity> topLevel = signedEntity(message);
            if (topLevel.isPresent()) {
                return verifyTopLevel(message, topLevel.get(), policy, paths);
            }
            Optional<SignedEntity> nested = nestedSignedEntity(message);
            if (nested.isEmpty()) {
                return VerificationResult.of(SignatureStatus.NOT_SIGNED, "the message is not signed");
            }
            SignedDataChecker.Outcome math = SignedDataChecker.checkSignatures(nested.get().cms(), policy);
            SignatureStatus status = math.status() == SignatureStatus.VALID ? SignatureStatus.PARTIAL : math.status();
            String detail = status == SignatureStatus.PARTIAL
                    ? "only a part inside the message is signed; the signature does not cover what the reader sees"
                    : math.detail();
            return result(status, detail, math, Optional.empty(), List.of());
        } catch (MalformedException e) {
            return VerificationResult.of(SignatureStatus.MALFORMED, e.getMessage());
        } catch (MessagingException | IOException | RuntimeException e) {
            // Boundary: verification must never throw for hostile input; anything unparseable is MALFORMED.
            return VerificationResult.of(SignatureStatus.MALFORMED, "the message cannot be parsed: " + e.getMessage());
        }
    }

    private static VerificationResult verifyTopLevel(MimeMessage message, SignedEntity entity, VerificationPolicy policy,
                                                     ValidatedPathCache paths) throws MessagingException, IOException {
        boolean opaque = !new ContentType(message.getContentType()).match("multipart/signed");
        MimeMessage content = opaque ? unwrap(message, entity.content()) : message;
        List<X509Certificate> embedded = SignedDataChecker.embeddedCertificates(entity.cms());
        SignedDataChecker.Outcome outcome = SignedDataChecker.checkSignatures(entity.cms(), embedded, policy);
        if (outcome.status() != SignatureStatus.VALID) {
            return result(outcome.status(), outcome.detail(), outcome, Optional.of(content), embedded);
        }
        X509Certificate certificate = outcome.certificate().orElseThrow();
        SignedDataChecker.Outcome trust = SignedDataChecker.checkSigner(entity.cms(), embedded, certificate, policy,
            paths);
        if (trust.status() != SignatureStatus.VALID) {
            return result(trust.status(), trust.detail(), trust, Optional.of(content), embedded);
        }
        // The recipient sees the From of the signed content when it is opaque, the outer one otherwise; both must
        // be among the addresses the signer's trust anchor may vouch for, or a partner's good signature would lend
        // its trust to a From it never signed.
        List<String> signer = trust.vouched();
        Optional<String> mismatch = senderMismatch(message, signer);
        if (mismatch.isEmpty() && opaque) {
            mismatch = senderMismatch(content, signer).map(problem -> "in the signed content: " + problem);
        }
        if (mismatch.isPresent()) {
            return result(SignatureStatus.SIGNER_MISMATCH, mismatch.get(), trust, Optional.of(content), embedded);
        }
        return result(SignatureStatus.VALID, trust.detail(), trust, Optional.of(content), embedded);
    }

    private static MimeMessage unwrap(MimeMessage message, byte[] content) throws MalformedException {
        try {
            return MimeEntities.withInnerEntity(message, content);
        } catch (CryptoException e) {
            throw new MalformedException(e.getMessage());
        }
    }

    private static VerificationResult result(SignatureStatus status, String detail, SignedDataChecker.Outcome outcome,
                                             Optional<MimeMessage> content, List<X509Certificate> embedded) {
        List<String> addresses = status == SignatureStatus.VALID ? outcome.vouched()
                : outcome.certificate().map(CertificateFacts::emailAddresses).orElse(List.of());
        return new VerificationResult(status, detail, outcome.certificate(), addresses, outcome.harvest(), content,
            embedded);
    }

    /** From must name exactly one address that the certificate carries; a differing Sender must be covered too. */
    static Optional<String> senderMismatch(MimeMessage message, List<String> signerAddresses) throws MessagingException {
        String[] fromHeaders = message.getHeader("From");
        if (fromHeaders == null || fromHeaders.length != 1) {
            return Optional.of("the message must have exactly one From header");
        }
        Optional<String> from = singleAddress(fromHeaders[0]);
        if (from.isEmpty()) {
            return Optional.of("From must contain exactly one address");
        }
        if (!signerAddresses.contains(from.get())) {
            return Optional.of("From address " + from.get() + " is not among the signer's addresses " + signerAddresses);
        }
        String[] senderHeaders = message.getHeader("Sender");
        if (senderHeaders == null) {
            return Optional.empty();
        }
        Optional<String> sender = senderHeaders.length == 1 ? singleAddress(senderHeaders[0]) : Optional.empty();
        if (sender.isEmpty()) {
            return Optional.of("the Sender header must contain exactly one address");
        }
        if (!sender.get().equals(from.get()) && !signerAddresses.contains(sender.get())) {
            return Optional.of("Sender address " + sender.get() + " differs from From and is not the signer's");
        }
        return Optional.empty();
    }

    private static Optional<String> singleAddress(String header) {
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(header, false);
            if (addresses.length != 1 || addresses[0].getAddress() == null || addresses[0].isGroup()) {
                return Optional.empty();
            }
            return Optional.of(Addresses.normalise(addresses[0].getAddress()));
        } catch (AddressException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The part itself when it is multipart/signed or opaque signed-data; empty otherwise. */
    private static Optional<SignedEntity> signedEntity(MimePart part) throws MessagingException, IOException {
        ContentType type = new ContentType(part.getContentType() == null ? "text/plain" : part.getContentType());
        if (type.match("multipart/signed")) {
            // PGP/MIME and other protocols are not ours to judge: they count as "not S/MIME signed".
            return isSmimeProtocol(type) ? Optional.of(detached(type, MimeEntities.rawBody(part))) : Optional.empty();
        }
        if (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime")) {
            String smimeType = type.getParameter("smime-type");
            if (smimeType != null && !smimeType.equalsIgnoreCase("signed-data")) {
                return Optional.empty();
            }
            byte[] der;
            try (InputStream in = part.getInputStream()) {
                der = MimeEntities.readAll(in);
            }
            if (smimeType == null && !isSignedData(der)) {
                return Optional.empty();
            }
            return Optional.of(opaque(der));
        }
        return Optional.empty();
    }

    /** multipart/signed with protocol application/(x-)pkcs7-signature; a missing protocol is given the benefit. */
    static boolean isSmimeProtocol(ContentType multipartSigned) {
        String protocol = multipartSigned.getParameter("protocol");
        return protocol == null || protocol.equalsIgnoreCase("application/pkcs7-signature")
                || protocol.equalsIgnoreCase("application/x-pkcs7-signature");
    }

    private static Optional<SignedEntity> nestedSignedEntity(MimePart part) throws MessagingException, IOException {
        // message/rfc822 is not descended into: an attached message is a separate message with its own signature.
        if (!part.isMimeType("multipart/*")) {
            return Optional.empty();
        }
        // The message's own multipart through its data handler, which JavaMail does not cache: a cached one would make
        // the verifying mailet's save of its header parse the whole message again.
        MimeMultipart multipart = (MimeMultipart) (part instanceof MimeMessage ? part.getDataHandler().getContent()
                : part.getContent());
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            if (child instanceof MimeBodyPart mime) {
                Optional<SignedEntity> found = signedEntity(mime);
                if (found.isEmpty()) {
                    found = nestedSignedEntity(mime);
                }
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isSignedData(byte[] der) {
        try {
            return CMSObjectIdentifiers.signedData.equals(ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContentType());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static SignedEntity opaque(byte[] der) throws MalformedException {
        try {
            CMSSignedData signed = new CMSSignedData(der);
            if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
                throw new MalformedException("the signed-data has no encapsulated content");
            }
            return new SignedEntity(signed, content);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedException("garbled CMS SignedData: " + e.getMessage());
        }
    }

    /** multipart/signed: the first part exactly as transmitted, the second part the CMS signature. */
    private static SignedEntity detached(ContentType type, byte[] body) throws MessagingException, IOException {
        String boundary = type.getParameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new MalformedException("multipart/signed without boundary");
        }
        List<byte[]> parts = MultipartSplitter.split(body, boundary);
        if (parts.size() != 2) {
            throw new MalformedException("multipart/signed must have exactly two parts, found " + parts.size());
        }
        MimeBodyPart signaturePart = new MimeBodyPart(new ByteArrayInputStream(parts.get(1)));
        if (!signaturePart.isMimeType("application/pkcs7-signature") && !signaturePart.isMimeType("application/x-pkcs7-signature")) {
            throw new MalformedException("the second part of multipart/signed is " + signaturePart.getContentType());
        }
        byte[] signature;
        try (InputStream in = signaturePart.getInputStream()) {
            signature = MimeEntities.readAll(in);
        }
        // A store that rewrote CRLF to LF would break the digest; RFC 8551 signs the canonical (CRLF) form. The
        // content itself when it is canonical already (canonicalLineEndings then returns the same array).
        byte[] canonical = MimeEntities.canonicalLineEndings(parts.get(0));
        try {
            return new SignedEntity(new CMSSignedData(new CMSProcessableByteArray(canonical), signature), canonical);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedException("garbled CMS signature: " + e.getMessage());
        }
    }

    /** Input that cannot be interpreted as a signature at all. */
    static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }
}
