package org.sealgate.mailets;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.sealgate.crypto.SignatureStatus;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.keys.Addresses;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.RevocationMode;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationStatus;

/**
 * The live revocation check of a signer whose signature is otherwise VALID, as the signer domain's {@code revocation}
 * setting says: revoked makes it REVOKED; unknown makes it UNTRUSTED under {@code require} and stays VALID, marked
 * {@code revocation=unknown}, under {@code prefer} (unmarked when the CA publishes no source at all). Only certificates that already chain to a trust anchor get here,
 * so the URLs fetched are ones a trusted CA wrote (no fetching on a stranger's say-so).
 */
final class SignerRevocation {
    /** The header marker for a valid signature whose revocation status is unknown. */
    static final String UNKNOWN_MARK = "revocation=unknown";

    record Checked(VerificationResult result, String mark) {
    }

    private final PolicyProvider policy;
    private final Optional<RevocationChecker> checker;

    SignerRevocation(PolicyProvider policy, Optional<RevocationChecker> checker) {
        this.policy = policy;
        this.checker = checker;
    }

    /** @param issuers the issuer candidates, asked for only when a live check runs */
    Checked apply(VerificationResult result, Supplier<List<X509Certificate>> issuers) {
        if (checker.isEmpty() || result.status() != SignatureStatus.VALID || result.signerCertificate().isEmpty()
                || result.signerAddresses().isEmpty()) {
            return new Checked(result, "");
        }
        RevocationMode mode = policy.settingsForDomain(Addresses.domainOf(result.signerAddresses().get(0))).revocation();
        if (mode == RevocationMode.OFF) {
            return new Checked(result, "");
        }
        RevocationStatus status = checker.get().check(result.signerCertificate().get(), issuers.get());
        if (status.isGood() || (status.isNotPublished() && mode == RevocationMode.PREFER)) {
            return new Checked(result, "");
        }
        if (status.isRevoked()) {
            return new Checked(downgraded(result, SignatureStatus.REVOKED, "the signer certificate is revoked: "
                + status.detail()), "");
        }
        if (mode == RevocationMode.REQUIRE) {
            return new Checked(downgraded(result, SignatureStatus.UNTRUSTED, "the signer certificate's revocation "
                + "status is unknown and the policy says revocation: require (" + status.detail() + ")"), "");
        }
        return new Checked(result, UNKNOWN_MARK);
    }

    /** Not VALID any more: nothing is harvested from it. */
    private static VerificationResult downgraded(VerificationResult result, SignatureStatus status, String detail) {
        return new VerificationResult(status, detail, result.signerCertificate(), result.signerAddresses(), List.of(),
            result.content(), result.embeddedCertificates());
    }
}
