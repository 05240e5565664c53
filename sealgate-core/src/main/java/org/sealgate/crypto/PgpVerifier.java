package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureProcessor;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.sealgate.pgp.PgpKeys;

/**
 * Verifies PGP/MIME signed messages (RFC 3156 §5): the first part exactly as transmitted, in canonical CRLF form,
 * against the detached signature in the second. A multipart/signed below the top level covers only part of what
 * the reader sees, so at best it is PARTIAL.
 */
final class PgpVerifier {

    private PgpVerifier() {
    }

    static PgpVerificationResult verify(MimeMessage message, PgpVerificationPolicy policy) {
        try {
            boolean whole = PgpMime.isPgpMimeSigned(message);
            Optional<MimePart> signed = whole ? Optional.of(message) : nestedSigned(message);
            if (signed.isEmpty()) {
                return PgpVerificationResult.notSigned();
            }
            ContentType type = new ContentType(signed.get().getContentType());
            String boundary = type.getParameter("boundary");
            if (boundary == null || boundary.isEmpty()) {
                return PgpVerificationResult.of(SignatureStatus.MALFORMED, "multipart/signed without boundary");
            }
            List<byte[]> parts = MultipartSplitter.split(MimeEntities.rawBody(signed.get()), boundary);
            if (parts.size() != 2) {
                return PgpVerificationResult.of(SignatureStatus.MALFORMED,
                    "multipart/signed must have exactly two parts, found " + parts.size());
            }
            MimeBodyPart signaturePart = new MimeBodyPart(new ByteArrayInputStream(parts.get(1)));
            if (!signaturePart.isMimeType("application/pgp-signature")) {
                return PgpVerificationResult.of(SignatureStatus.MALFORMED,
                    "the second part of multipart/signed is " + signaturePart.getContentType());
            }
            byte[] signature;
            try (InputStream in = signaturePart.getInputStream()) {
                signature = MimeEntities.readAll(in);
            }
            PgpSignatureRules.Candidates candidates = new PgpSignatureRules.Candidates(policy.knownKeys(),
                PgpMime.attachedKeys(message));
            List<String> rejected = new java.util.ArrayList<>();
            OpenPGPDetachedSignatureProcessor processor = PgpKeys.api().verifyDetachedSignature()
                .setExceptionCallback(e -> rejected.add(e.getMessage()));
            try {
                processor.addSignatures(new ByteArrayInputStream(signature));
            } catch (IOException | RuntimeException e) {
                return PgpVerificationResult.of(SignatureStatus.MALFORMED, "garbled OpenPGP signature: " + e.getMessage());
            }
            candidates.all().forEach(processor::addVerificationCertificate);
            rejected.addAll(unknownIssuers(signature, candidates));
            byte[] content = MimeEntities.canonicalLineEndings(parts.get(0));
            List<OpenPGPDocumentSignature> signatures = processor.process(new ByteArrayInputStream(content));
            return PgpSignatureRules.evaluate(signatures, candidates, List.of(message), whole, Optional.empty(), policy, rejected);
        } catch (MessagingException | IOException | RuntimeException e) {
            return PgpVerificationResult.of(SignatureStatus.MALFORMED, "unreadable PGP/MIME signed message: " + e.getMessage());
        }
    }

    /** Bouncy Castle silently drops signatures whose key it was not given; name them so "unknown signer" is reported. */
    private static List<String> unknownIssuers(byte[] signature, PgpSignatureRules.Candidates candidates) {
        List<String> unknown = new java.util.ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            if (object instanceof PGPSignatureList list) {
                for (PGPSignature each : list) {
                    boolean known = candidates.all().stream().anyMatch(certificate ->
                        each.getKeyIdentifiers().stream().anyMatch(id -> certificate.getKey(id) != null));
                    if (!known) {
                        unknown.add(PgpSignatureRules.UNKNOWN_SIGNER + " (" + each.getKeyIdentifiers() + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the processor reports garbled signatures itself
        }
        return unknown;
    }

    private static Optional<MimePart> nestedSigned(MimePart part) throws MessagingException, IOException {
        if (!part.isMimeType("multipart/*") || part.isMimeType("multipart/signed")) {
            return Optional.empty();
        }
        MimeMultipart multipart = (MimeMultipart) part.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            if (child instanceof MimeBodyPart mime) {
                if (PgpMime.isPgpMimeSigned(mime)) {
                    return Optional.of(mime);
                }
                Optional<MimePart> deeper = nestedSigned(mime);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
        }
        return Optional.empty();
    }
}
