package org.sealgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPEncryptionNegotiator;
import org.bouncycastle.openpgp.api.OpenPGPMessageGenerator;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;

/**
 * Builds PGP/MIME encrypted messages (RFC 3156 §4, and §6.2 when signing: one OpenPGP message that is signed
 * and encrypted). The encrypted entity is the message's content entity in canonical (CRLF) form, with the
 * protected header fields in front when header protection is on.
 */
final class PgpEncryptor {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PgpEncryptor() {
    }

    static MimeMessage encrypt(MimeMessage message, List<OpenPGPCertificate> recipients, Optional<PgpManagedKey> signer,
                               PgpEncryptionPolicy policy) throws CryptoException {
        if (recipients == null || recipients.isEmpty()) {
            throw new CryptoException("cannot encrypt: no recipient OpenPGP keys");
        }
        Date now = new Date();
        for (OpenPGPCertificate recipient : recipients) {
            String why = PgpKeys.whyNotUsableForEncryption(recipient, now);
            if (!why.isEmpty()) {
                throw new CryptoException("cannot encrypt to OpenPGP key " + PgpKeys.fingerprint(recipient) + ": " + why);
            }
        }
        try {
            MimeEntities.Entity outer = MimeEntities.Entity.parse(MimeEntities.serialize(message));
            byte[] inner = Encryptor.innerEntity(outer, policy.headers());
            Packets packets = encryptBytes(inner, recipients, signer, mechanism(recipients, policy, now));
            String boundary = "sealgate-pgp-" + HexFormat.of().formatHex(randomBytes());
            byte[] head = pgpMimeHead(boundary);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            int armoredLength = PgpArmor.armoredLength(packets.length());
            // The multipart/encrypted body (RFC 3156 §4) armored straight into the new message's array.
            MimeEntities.BodyWriter body = (out, at) -> {
                System.arraycopy(head, 0, out, at, head.length);
                int end = PgpArmor.armorInto(packets.array(), 0, packets.length(), out, at + head.length);
                System.arraycopy(tail, 0, out, end, tail.length);
            };
            return MimeEntities.withNewContent(policy.headers().outerLines(outer.nonContentHeaderLines()), List.of(
                "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"" + boundary + "\"",
                "Content-Transfer-Encoding: 7bit"), head.length + armoredLength + tail.length, body);
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot encrypt: the message cannot be read as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * SEIPDv2 only when the policy allows it and every recipient announces it (RFC 9580 §5.13.2): a v4 key of an
     * older implementation could not read it. AES-256 either way.
     */
    static MessageEncryptionMechanism mechanism(List<OpenPGPCertificate> recipients, PgpEncryptionPolicy policy, Date now) {
        boolean allSupportV2 = policy.seipdV2() && recipients.stream().allMatch(r -> supportsSeipdV2(r, now));
        if (allSupportV2) {
            int aead = policy.aead() == PgpEncryptionPolicy.Aead.OCB ? AEADAlgorithmTags.OCB : AEADAlgorithmTags.GCM;
            return MessageEncryptionMechanism.aead(SymmetricKeyAlgorithmTags.AES_256, aead);
        }
        return MessageEncryptionMechanism.integrityProtected(SymmetricKeyAlgorithmTags.AES_256);
    }

    static boolean supportsSeipdV2(OpenPGPCertificate certificate, Date now) {
        if (certificate.getPrimaryKey().getVersion() >= 6) {
            return true;
        }
        Features features = certificate.getPrimaryKey().getFeatures(now);
        if (features == null && certificate.getPrimaryUserId(now) != null) {
            features = certificate.getPrimaryUserId(now).getFeatures(now);
        }
        return features != null && features.supportsFeature(Features.FEATURE_SEIPD_V2);
    }

    /** BC's output, read where it was written instead of copied out by toByteArray. */
    private static final class Packets extends ByteArrayOutputStream {
        Packets(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        int length() {
            return count;
        }
    }

    private static Packets encryptBytes(byte[] plaintext, List<OpenPGPCertificate> recipients, Optional<PgpManagedKey> signer,
                                       MessageEncryptionMechanism mechanism) throws CryptoException {
        try {
            OpenPGPMessageGenerator generator = PgpKeys.api().signAndOrEncryptMessage()
                // Armored by PgpArmor in one pass, not by BC's byte-at-a-time armor stream.
                .setArmored(false)
                .setPublicKeyBasedEncryptionNegotiator(new OpenPGPEncryptionNegotiator() {
                    @Override
                    public MessageEncryptionMechanism negotiateEncryption(OpenPGPMessageGenerator ignored) {
                        return mechanism;
                    }
                })
                // No compression: it saves little on mail and keeps decompression bombs out of the picture.
                .setCompressionNegotiator((ignored, policy) -> CompressionAlgorithmTags.UNCOMPRESSED);
            for (OpenPGPCertificate recipient : recipients) {
                generator.addEncryptionCertificate(recipient);
            }
            if (signer.isPresent()) {
                // Intended Recipient Fingerprint (RFC 9580 §5.2.3.36): the signature cannot be re-encrypted to a
                // third party and passed off as meant for them.
                generator.addSigningKey(signer.get().key(), signer.get().passphrase(), new SignatureParameters.Callback() {
                    @Override
                    public SignatureParameters apply(SignatureParameters parameters) {
                        // SHA-512: every implementation has it (Bouncy Castle would pick SHA3-512 from its own key
                        // preferences, which GnuPG 2.2 and Sequoia 1.x cannot check).
                        return parameters.setSignatureHashAlgorithm(HashAlgorithmTags.SHA512).setHashedSubpacketsFunction(subpackets -> {
                            recipients.forEach(r -> subpackets.addIntendedRecipientFingerprint(false,
                                r.getPrimaryKey().getPGPPublicKey()));
                            return subpackets;
                        });
                    }
                });
            }
            Packets out = new Packets(plaintext.length + 4096);
            try (OutputStream encrypting = generator.open(out)) {
                encrypting.write(plaintext);
            }
            return out;
        } catch (PGPException | IOException | RuntimeException e) {
            throw new CryptoException("OpenPGP encryption failed: " + e.getMessage(), e);
        }
    }

    /** The multipart/encrypted body (RFC 3156 §4) up to the armored message, which already has CRLF line ends. */
    private static byte[] pgpMimeHead(String boundary) {
        return ("This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: application/pgp-encrypted\r\n"
            + "Content-Description: PGP/MIME version identification\r\n\r\n"
            + "Version: 1\r\n\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
            + "Content-Description: OpenPGP encrypted message\r\n"
            + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
