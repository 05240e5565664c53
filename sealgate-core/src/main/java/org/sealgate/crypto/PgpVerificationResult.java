package org.sealgate.crypto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * @param status          the most fundamental problem found, or VALID / NOT_SIGNED (same statuses as S/MIME)
 * @param detail          human-readable reason (never message content)
 * @param signer          the signer's certificate when it could be resolved
 * @param signerAddresses normalised e-mail addresses of the signer's valid user IDs
 * @param trusted         VALID by a key the admin imported (a harvested key gives a valid but untrusted result)
 * @param keysToHarvest   the signer's certificate when the signature is VALID and it came with the message
 */
public record PgpVerificationResult(SignatureStatus status, String detail, Optional<OpenPGPCertificate> signer,
                                    List<String> signerAddresses, boolean trusted, List<OpenPGPCertificate> keysToHarvest) {

    public PgpVerificationResult {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        signer = signer == null ? Optional.empty() : signer;
        signerAddresses = signerAddresses == null ? List.of() : List.copyOf(signerAddresses);
        keysToHarvest = keysToHarvest == null ? List.of() : List.copyOf(keysToHarvest);
    }

    static PgpVerificationResult of(SignatureStatus status, String detail) {
        return new PgpVerificationResult(status, detail, Optional.empty(), List.of(), false, List.of());
    }

    public static PgpVerificationResult notSigned() {
        return of(SignatureStatus.NOT_SIGNED, "");
    }

    public boolean isValid() {
        return status == SignatureStatus.VALID;
    }
}
