package org.sealgate.crypto;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.mail.internet.MimeMessage;

/**
 * @param status                 the most fundamental problem found, or VALID / NOT_SIGNED
 * @param detail                 human-readable reason (never message content)
 * @param signerCertificate      the signer's certificate when it could be resolved
 * @param signerAddresses        normalised e-mail addresses of the signer certificate
 * @param certificatesToHarvest  the signer certificate when the signature itself verified, whatever its trust
 * @param content                opaque signed-data: the message with the encapsulated entity as body;
 *                               multipart/signed: the message unchanged; empty when nothing usable was found
 * @param embeddedCertificates   the certificates the top-level signature carries (the partner's intermediates),
 *                               already parsed by the verifier: issuer candidates for the signer's revocation check
 */
public record VerificationResult(SignatureStatus status,
                                 String detail,
                                 Optional<X509Certificate> signerCertificate,
                                 List<String> signerAddresses,
                                 List<X509Certificate> certificatesToHarvest,
                                 Optional<MimeMessage> content,
                                 List<X509Certificate> embeddedCertificates) {

    public VerificationResult {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        signerCertificate = signerCertificate == null ? Optional.empty() : signerCertificate;
        signerAddresses = signerAddresses == null ? List.of() : List.copyOf(signerAddresses);
        certificatesToHarvest = certificatesToHarvest == null ? List.of() : List.copyOf(certificatesToHarvest);
        content = content == null ? Optional.empty() : content;
        embeddedCertificates = embeddedCertificates == null ? List.of() : List.copyOf(embeddedCertificates);
    }

    /** A result that carries no embedded certificates. */
    public VerificationResult(SignatureStatus status, String detail, Optional<X509Certificate> signerCertificate,
                              List<String> signerAddresses, List<X509Certificate> certificatesToHarvest,
                              Optional<MimeMessage> content) {
        this(status, detail, signerCertificate, signerAddresses, certificatesToHarvest, content, List.of());
    }

    static VerificationResult of(SignatureStatus status, String detail) {
        return new VerificationResult(status, detail, Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    public boolean isValid() {
        return status == SignatureStatus.VALID;
    }
}
