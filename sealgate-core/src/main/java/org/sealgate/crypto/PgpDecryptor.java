package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;

import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.api.EncryptedDataPacketType;
import org.bouncycastle.openpgp.api.MessageEncryptionMechanism;
import org.bouncycastle.openpgp.api.OpenPGPMessageInputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageProcessor;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.SessionKeys;

/**
 * Decrypts PGP/MIME and inline PGP. The whole plaintext is read and the stream closed, which is when Bouncy Castle
 * checks the MDC (SEIPDv1) or the last AEAD chunk (SEIPDv2), before anything is returned: plaintext that fails
 * its integrity check never leaves this class (EFAIL). The legacy packet without integrity protection is refused.
 */
final class PgpDecryptor {

    /** The plaintext is {@code plaintext[0, length)}: the read buffer itself, not a copy cut to size. */
    private record Decrypted(byte[] plaintext, int length, PgpManagedKey key, String mechanism, List<OpenPGPDocumentSignature> signatures,
                             List<String> rejected, boolean wholeMessage) {

        /**
         * Judged on the message as it arrived and as decrypted: the From the recipient sees comes from inside when
         * the encrypted entity carries protected header fields, and neither may differ from the signer.
         */
        PgpVerificationResult signature(PgpSignatureRules.Candidates signers, MimeMessage arrived, MimeMessage shown,
                                        PgpVerificationPolicy policy) {
            return signatures.isEmpty() && rejected.isEmpty() ? PgpVerificationResult.notSigned()
                : PgpSignatureRules.evaluate(signatures, signers, List.of(arrived, shown), wholeMessage,
                    Optional.of(key.certificate()), policy, rejected);
        }
    }

    private PgpDecryptor() {
    }

    static PgpDecryptionResult decrypt(MimeMessage message, Collection<PgpManagedKey> candidates,
                                       PgpVerificationPolicy policy) throws CryptoException {
        PgpSignatureRules.Candidates signers = new PgpSignatureRules.Candidates(policy.knownKeys(), PgpMime.attachedKeys(message));
        try {
            if (PgpMime.isPgpMimeEncrypted(message)) {
                ByteSlice payload;
                try {
                    payload = PgpMime.encryptedPayloadInPlace(message);
                } catch (MessagingException | IOException e) {
                    throw new CryptoException("malformed PGP/MIME: " + e.getMessage(), e);
                }
                Decrypted decrypted = decryptBytes(payload, candidates, signers, true);
                MimeMessage result = MimeEntities.withInnerEntity(message, canonical(decrypted));
                return new PgpDecryptionResult(result, decrypted.key(), decrypted.mechanism(), false,
                    decrypted.signature(signers, message, result, policy));
            }
            // The text part is replaced in place: work on a copy, the caller's message stays as it was.
            MimeMessage copy = MimeEntities.message(MimeEntities.serialize(message));
            Optional<MimePart> inline = PgpMime.inlineEncryptedPart(copy);
            if (inline.isEmpty()) {
                throw new CryptoException("the message is not OpenPGP encrypted");
            }
            return decryptInline(copy, inline.get(), candidates, signers, policy);
        } catch (MessagingException | IOException e) {
            throw new CryptoException("the message cannot be read as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * Which of {@code others} open the message too, the message having been decrypted with {@code first}: a key whose
     * session-key packet yields the very session key {@code first}'s did opens the same plaintext, and is counted
     * without a second decryption. Any other key that the message names (its session key differs or is not
     * recoverable from the packets, inline PGP) decrypts the message itself, as each recipient's did before:
     * a failure there fails the whole message, a key the message does not name is left out.
     */
    static List<PgpManagedKey> alsoOpenedBy(MimeMessage message, PgpManagedKey first, List<PgpManagedKey> others,
                                            PgpVerificationPolicy policy) throws CryptoException {
        if (others.isEmpty()) {
            return List.of();
        }
        List<PGPPublicKeyEncryptedData> packets = List.of();
        Optional<PGPSessionKey> firstKey = Optional.empty();
        try {
            if (PgpMime.isPgpMimeEncrypted(message)) {
                packets = sessionKeyPackets(PgpArmor.binary(PgpMime.encryptedPayloadInPlace(message)));
                firstKey = SessionKeys.recover(packets, first);
            }
        } catch (CryptoException | MessagingException | IOException | RuntimeException e) {
            // Left to a decryption per further key below, as before.
            firstKey = Optional.empty();
        }
        List<KeyIdentifier> recipients = packets.stream().map(PGPPublicKeyEncryptedData::getKeyIdentifier).toList();
        List<PgpManagedKey> opened = new ArrayList<>();
        for (PgpManagedKey other : others) {
            if (firstKey.isPresent()) {
                if (!opens(other, recipients)) {
                    continue;
                }
                Optional<PGPSessionKey> otherKey = SessionKeys.recover(packets, other);
                if (otherKey.isPresent() && sameSessionKey(firstKey.get(), otherKey.get())) {
                    opened.add(other);
                    continue;
                }
            }
            try {
                decrypt(message, List.of(other), policy);
                opened.add(other);
            } catch (NoMatchingKeyException e) {
                // Not a recipient of this message.
            } catch (CryptoException e) {
                // The message opened for the first key: a packet naming this one that does not open it is forged.
                throw new CryptoException("the session-key packet naming " + other.address() + " does not open the "
                    + "message the others' packets open (refused: its plaintext is not released): " + e.getMessage(), e);
            }
        }
        return opened;
    }

    private static boolean sameSessionKey(PGPSessionKey a, PGPSessionKey b) {
        return a.getAlgorithm() == b.getAlgorithm() && java.security.MessageDigest.isEqual(a.getKey(), b.getKey());
    }

    private static PgpDecryptionResult decryptInline(MimeMessage message, MimePart part, Collection<PgpManagedKey> candidates,
                                                     PgpSignatureRules.Candidates signers, PgpVerificationPolicy policy)
            throws CryptoException, MessagingException, IOException {
        String text = PgpMime.text(part);
        int start = text.indexOf(PgpMime.BEGIN_MESSAGE);
        int end = text.indexOf(PgpMime.END_MESSAGE, start);
        if (end < 0) {
            throw new CryptoException("inline PGP message without its END line (truncated?)");
        }
        end += PgpMime.END_MESSAGE.length();
        byte[] armored = text.substring(start, end).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean whole = text.substring(0, start).isBlank() && text.substring(end).isBlank()
            && (part == message || message.isMimeType("text/plain"));
        Decrypted decrypted = decryptBytes(ByteSlice.of(armored), candidates, signers, whole);
        String plaintext = new String(decrypted.plaintext(), 0, decrypted.length(), java.nio.charset.StandardCharsets.UTF_8);
        // Keep what surrounded the armor (quoted text, signatures of mailing lists), replace only the block.
        part.setText(text.substring(0, start) + plaintext + text.substring(end), "UTF-8");
        message.saveChanges();
        MimeMessage result = MimeEntities.message(MimeEntities.serialize(message));
        return new PgpDecryptionResult(result, decrypted.key(), decrypted.mechanism(), true,
            decrypted.signature(signers, message, result, policy));
    }

    /** The plaintext in canonical CRLF form; copied only when it has bare line feeds. */
    private static ByteSlice canonical(Decrypted decrypted) {
        byte[] plaintext = decrypted.plaintext();
        int length = decrypted.length();
        for (int i = 0; i < length; i++) {
            if (plaintext[i] == '\n' && (i == 0 || plaintext[i - 1] != '\r')) {
                return ByteSlice.of(MimeEntities.canonicalLineEndings(Arrays.copyOf(plaintext, length)));
            }
        }
        return new ByteSlice(plaintext, 0, length);
    }

    private static Decrypted decryptBytes(ByteSlice data, Collection<PgpManagedKey> candidates, PgpSignatureRules.Candidates signers,
                                          boolean wholeMessage)
            throws CryptoException {
        byte[] binary;
        try {
            binary = PgpArmor.binary(data);
        } catch (IOException | RuntimeException e) {
            throw new CryptoException("garbled OpenPGP data: " + e.getMessage(), e);
        }
        List<PGPPublicKeyEncryptedData> sessionKeyPackets = sessionKeyPackets(binary);
        List<KeyIdentifier> recipients = sessionKeyPackets.stream().map(PGPPublicKeyEncryptedData::getKeyIdentifier).toList();
        PgpManagedKey key = candidates.stream()
            .filter(candidate -> opens(candidate, recipients))
            .findFirst()
            .orElseThrow(() -> new NoMatchingKeyException(recipients.stream().map(KeyIdentifier::toString).toList()));
        List<String> rejected = new ArrayList<>();
        OpenPGPMessageProcessor processor = PgpKeys.api().decryptAndOrVerifyMessage()
            .setExceptionCallback(e -> rejected.add(e.getMessage()))
            // Asked for every signer key not given below: such signatures are dropped from the result, yet they
            // make the message signed (by someone unknown), not unsigned.
            .setMissingOpenPGPCertificateProvider(identifier -> {
                rejected.add(PgpSignatureRules.UNKNOWN_SIGNER + " (" + identifier + ")");
                return null;
            });
        // The session key recovered with the key unlocked once (SessionKeys); if that fails BC does it all as before.
        Optional<PGPSessionKey> sessionKey = SessionKeys.recover(sessionKeyPackets, key);
        if (sessionKey.isPresent()) {
            processor.setSessionKey(sessionKey.get());
        } else {
            processor.addDecryptionKey(key.key()).setMissingOpenPGPKeyPassphraseProvider(key.passphrase());
        }
        signers.all().forEach(processor::addVerificationCertificate);
        byte[] plaintext;
        int size = 0;
        OpenPGPMessageInputStream.Result result;
        try (InputStream in = processor.process(new ByteArrayInputStream(binary))) {
            // Read straight into one array, first as large as the packets (uncompressed plaintext fits, compressed
            // doubles it), instead of a staging buffer and a ByteArrayOutputStream sized by the armored text.
            long limit = plaintextLimit(data.length());
            byte[] buffer = new byte[(int) Math.min(limit, Math.max(8192L, binary.length))];
            int n;
            while ((n = in.read(buffer, size, buffer.length - size)) != -1) {
                size += n;
                if (size < buffer.length) {
                    continue;
                }
                // The buffer never grows past the limit: a full buffer at the limit may only be followed by the end.
                if (size >= limit) {
                    if (in.read() != -1) {
                        throw new CryptoException("the OpenPGP message expands to more than " + limit
                            + " bytes (compression bomb?): refused");
                    }
                    break;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * size));
            }
            // Closing checks the MDC / final AEAD tag; only after that the plaintext counts as decrypted.
            in.close();
            plaintext = buffer;
            result = ((OpenPGPMessageInputStream) in).getResult();
        } catch (IOException | PGPException | RuntimeException e) {
            throw new CryptoException("OpenPGP decryption failed (garbled data or failed integrity check): " + e.getMessage(), e);
        }
        MessageEncryptionMechanism mechanism = result.getEncryptionMethod();
        if (mechanism == null || !mechanism.isEncrypted()) {
            throw new CryptoException("the OpenPGP message is not encrypted");
        }
        if (mechanism.getMode() == EncryptedDataPacketType.SED) {
            throw new CryptoException("the OpenPGP message has no integrity protection (SED packet): refused (EFAIL)");
        }
        List<OpenPGPDocumentSignature> signatures = result.getSignatures() == null ? List.of() : result.getSignatures();
        return new Decrypted(plaintext, size, key, describe(mechanism), signatures, rejected, wholeMessage);
    }

    /**
     * Mail compresses maybe tenfold; a hundredfold expansion (at least 16 MiB) is generous for real mail and stops a
     * compressed stream of zeros before it fills the heap. Never past the node's limit for unwrapped content: a
     * large message must not buy a proportionally larger bomb.
     */
    static long plaintextLimit(int encryptedLength) {
        return Math.min(Math.max(100L * encryptedLength, 16L << 20), MimeLimits.forUnwrappedContent().maxUnwrappedBytes());
    }

    /** The public-key encrypted session-key packets; refuses data that is not public-key encrypted. */
    private static List<PGPPublicKeyEncryptedData> sessionKeyPackets(byte[] binary) throws CryptoException {
        try (InputStream decoded = new ByteArrayInputStream(binary)) {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(decoded);
            Object object = factory.nextObject();
            while (object instanceof PGPMarker) {
                object = factory.nextObject();
            }
            if (!(object instanceof PGPEncryptedDataList list)) {
                throw new CryptoException("no OpenPGP encrypted data found" + (object == null ? "" : " (found " + object.getClass().getSimpleName() + ")"));
            }
            List<PGPPublicKeyEncryptedData> packets = new ArrayList<>();
            for (PGPEncryptedData encrypted : list) {
                if (encrypted instanceof PGPPublicKeyEncryptedData publicKeyEncrypted) {
                    packets.add(publicKeyEncrypted);
                }
            }
            return packets;
        } catch (IOException | RuntimeException e) {
            throw new CryptoException("garbled OpenPGP data: " + e.getMessage(), e);
        }
    }

    private static boolean opens(PgpManagedKey candidate, List<KeyIdentifier> recipients) {
        for (KeyIdentifier recipient : recipients) {
            if (recipient.isWildcard()) {
                return true;
            }
            for (KeyIdentifier own : candidate.key().getAllKeyIdentifiers()) {
                if (recipient.matches(own)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(MessageEncryptionMechanism mechanism) {
        String cipher = mechanism.getSymmetricKeyAlgorithm() == org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256 ? "AES-256"
            : mechanism.getSymmetricKeyAlgorithm() == org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_128 ? "AES-128"
            : mechanism.getSymmetricKeyAlgorithm() == org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_192 ? "AES-192"
            : "cipher-" + mechanism.getSymmetricKeyAlgorithm();
        return switch (mechanism.getMode()) {
            case SEIPDv1 -> "SEIPDv1 " + cipher + " MDC";
            case SEIPDv2 -> "SEIPDv2 " + cipher + " " + aeadName(mechanism.getAeadAlgorithm());
            case LIBREPGP_OED -> "LibrePGP-OED " + cipher + " " + aeadName(mechanism.getAeadAlgorithm());
            default -> mechanism.getMode() + " " + cipher;
        };
    }

    private static String aeadName(int aead) {
        return switch (aead) {
            case org.bouncycastle.bcpg.AEADAlgorithmTags.OCB -> "OCB";
            case org.bouncycastle.bcpg.AEADAlgorithmTags.GCM -> "GCM";
            case org.bouncycastle.bcpg.AEADAlgorithmTags.EAX -> "EAX";
            default -> "AEAD-" + aead;
        };
    }
}
