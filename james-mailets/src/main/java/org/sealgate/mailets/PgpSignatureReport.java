package org.sealgate.mailets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.sealgate.crypto.PgpVerificationResult;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * An OpenPGP signature result as Sealgate reports it: the {@code X-Sealgate-Signature} value, and the hand-over
 * from {@link PgpDecrypt} (which sees the signatures inside an encrypted message) to {@link PgpVerify} (which
 * marks the mail), carried in a plain string attribute so it survives the durable queue.
 */
record PgpSignatureReport(SignatureStatus status, boolean trusted, String headerValue, String signerFingerprint) {
    static final AttributeName ATTRIBUTE = AttributeName.of("org.sealgate.pgp.signature");

    static PgpSignatureReport of(PgpVerificationResult result) {
        StringBuilder value = new StringBuilder(result.status().headerValue());
        if (!result.signerAddresses().isEmpty()) {
            value.append("; signer=").append(String.join(",", result.signerAddresses()));
        }
        value.append("; method=openpgp");
        if (result.status() == SignatureStatus.VALID) {
            value.append("; trust=").append(result.trusted() ? "imported" : "untrusted");
        } else if (result.status() != SignatureStatus.NOT_SIGNED) {
            value.append("; reason=\"").append(result.detail().replace('"', '\'').replaceAll("[\\r\\n]+", " ")).append('"');
        }
        return new PgpSignatureReport(result.status(), result.trusted(), value.toString(),
            result.signer().map(PgpKeys::fingerprint).orElse(""));
    }

    void attachTo(Mail mail) {
        mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(
            status.name() + "\t" + trusted + "\t" + signerFingerprint + "\t" + headerValue)));
    }

    /** The keys that may have signed: those the directory holds for the addresses in From. */
    static List<PgpPublicKey> knownKeys(PgpKeyDirectory keys, MimeMessage message) throws MessagingException {
        List<PgpPublicKey> known = new ArrayList<>();
        Address[] from = message.getFrom();
        if (from != null) {
            for (Address address : from) {
                if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                    known.addAll(keys.publicKeysFor(internet.getAddress()));
                }
            }
        }
        return known;
    }

    static Optional<PgpSignatureReport> from(Mail mail) {
        return mail.getAttribute(ATTRIBUTE)
            .flatMap(attribute -> attribute.getValue().valueAs(String.class))
            .map(encoded -> encoded.split("\t", 4))
            .filter(fields -> fields.length == 4)
            .map(fields -> new PgpSignatureReport(SignatureStatus.valueOf(fields[0]), Boolean.parseBoolean(fields[1]),
                fields[3], fields[2]));
    }
}
