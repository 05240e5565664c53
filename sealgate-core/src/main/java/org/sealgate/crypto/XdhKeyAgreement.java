package org.sealgate.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorIdentifierOrKey;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.util.Pack;

/**
 * RFC 8418 key agreement for X25519/X448 with the "stdDH" X9.63 KDFs. Bouncy Castle 1.87 maps these KDF OIDs to
 * its ECDH implementation only, which rejects X25519 keys ("can't identify EC private key" when encrypting,
 * "key invalid in message" when decrypting); its HKDF variant (RFC 9690 style) works and is left to BC.
 * This class fills that gap on both sides and leaves content encryption to BC.
 */
final class XdhKeyAgreement {
    private static final Map<ASN1ObjectIdentifier, java.util.function.Supplier<Digest>> STD_DH_KDFS = Map.of(
            X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme, SHA1Digest::new,
            CMSAlgorithm.ECDH_SHA224KDF, SHA224Digest::new,
            CMSAlgorithm.ECDH_SHA256KDF, SHA256Digest::new,
            CMSAlgorithm.ECDH_SHA384KDF, SHA384Digest::new,
            CMSAlgorithm.ECDH_SHA512KDF, SHA512Digest::new);
    private static final Map<ASN1ObjectIdentifier, Integer> WRAP_KEY_BITS = Map.of(
            NISTObjectIdentifiers.id_aes128_wrap, 128,
            NISTObjectIdentifiers.id_aes192_wrap, 192,
            NISTObjectIdentifiers.id_aes256_wrap, 256);

    private XdhKeyAgreement() {
    }

    static boolean isXdh(Key key) {
        String algorithm = key.getAlgorithm();
        return algorithm.equals("X25519") || algorithm.equals("X448") || algorithm.equals("XDH");
    }

    /** The key-encryption key: X9.63 KDF over the shared secret with ECC-CMS-SharedInfo (RFC 8418 §2). */
    static SecretKey kek(PrivateKey ours, PublicKey theirs, ASN1ObjectIdentifier kdf, ASN1ObjectIdentifier wrap,
                         ASN1OctetString ukm) throws GeneralSecurityException, IOException {
        Integer bits = WRAP_KEY_BITS.get(wrap);
        if (!STD_DH_KDFS.containsKey(kdf) || bits == null) {
            throw new GeneralSecurityException("unsupported key agreement " + kdf + " with key wrap " + wrap);
        }
        KeyAgreement agreement = KeyAgreement.getInstance(ours.getAlgorithm(), BouncyCastle.PROVIDER);
        agreement.init(ours);
        agreement.doPhase(theirs, true);
        byte[] sharedSecret = agreement.generateSecret();
        byte[] sharedInfo = new ECCCMSSharedInfo(new AlgorithmIdentifier(wrap), ukm == null ? null : ukm.getOctets(),
                Pack.intToBigEndian(bits)).getEncoded(ASN1Encoding.DER);
        KDF2BytesGenerator generator = new KDF2BytesGenerator(STD_DH_KDFS.get(kdf).get());
        generator.init(new KDFParameters(sharedSecret, sharedInfo));
        byte[] kek = new byte[bits / 8];
        generator.generateBytes(kek, 0, kek.length);
        return new SecretKeySpec(kek, "AES");
    }

    static boolean handles(PrivateKey key, AlgorithmIdentifier keyEncryptionAlgorithm) {
        return isXdh(key) && STD_DH_KDFS.containsKey(keyEncryptionAlgorithm.getAlgorithm());
    }

    /** Sender side: one ephemeral key per recipient, AES-256 key wrap, issuer and serial as recipient id. */
    static RecipientInfoGenerator recipientInfoGenerator(X509Certificate recipient) {
        return (GenericKey contentKey) -> {
            try {
                PublicKey recipientKey = recipient.getPublicKey();
                KeyPair ephemeral = KeyPairGenerator.getInstance(recipientKey.getAlgorithm().equals("X448") ? "X448" : "X25519",
                        BouncyCastle.PROVIDER).generateKeyPair();
                ASN1ObjectIdentifier wrap = NISTObjectIdentifiers.id_aes256_wrap;
                SecretKey kek = kek(ephemeral.getPrivate(), recipientKey, CMSAlgorithm.ECDH_SHA256KDF, wrap, null);
                Cipher cipher = Cipher.getInstance("AESWrap", BouncyCastle.PROVIDER);
                cipher.init(Cipher.WRAP_MODE, kek);
                byte[] wrapped = cipher.wrap(asKey(contentKey));
                SubjectPublicKeyInfo ephemeralInfo = SubjectPublicKeyInfo.getInstance(ephemeral.getPublic().getEncoded());
                OriginatorIdentifierOrKey originator = new OriginatorIdentifierOrKey(new OriginatorPublicKey(
                        new AlgorithmIdentifier(ephemeralInfo.getAlgorithm().getAlgorithm()),
                        ephemeralInfo.getPublicKeyData().getBytes()));
                IssuerAndSerialNumber issuerAndSerial = new IssuerAndSerialNumber(
                        X500Name.getInstance(recipient.getIssuerX500Principal().getEncoded()), recipient.getSerialNumber());
                RecipientEncryptedKey encryptedKey = new RecipientEncryptedKey(
                        new KeyAgreeRecipientIdentifier(issuerAndSerial), new DEROctetString(wrapped));
                return new RecipientInfo(new KeyAgreeRecipientInfo(originator, null,
                        new AlgorithmIdentifier(CMSAlgorithm.ECDH_SHA256KDF, new AlgorithmIdentifier(wrap)),
                        new DERSequence(encryptedKey)));
            } catch (GeneralSecurityException | IOException e) {
                throw new CMSException("X25519/X448 key agreement failed: " + e.getMessage(), e);
            }
        };
    }

    private static Key asKey(GenericKey key) {
        Object representation = key.getRepresentation();
        return representation instanceof Key k ? k : new SecretKeySpec((byte[]) representation, "AES");
    }

    private static Key unwrap(PrivateKey ours, AlgorithmIdentifier keyEncryptionAlgorithm, SubjectPublicKeyInfo sender,
                              ASN1OctetString ukm, byte[] encryptedKey, AlgorithmIdentifier contentAlgorithm)
            throws CMSException {
        try {
            ASN1ObjectIdentifier wrap = AlgorithmIdentifier.getInstance(keyEncryptionAlgorithm.getParameters()).getAlgorithm();
            PublicKey senderKey = KeyFactory.getInstance(ours.getAlgorithm(), BouncyCastle.PROVIDER)
                    .generatePublic(new X509EncodedKeySpec(sender.getEncoded()));
            SecretKey kek = kek(ours, senderKey, keyEncryptionAlgorithm.getAlgorithm(), wrap, ukm);
            Cipher cipher = Cipher.getInstance("AESWrap", BouncyCastle.PROVIDER);
            cipher.init(Cipher.UNWRAP_MODE, kek);
            return cipher.unwrap(encryptedKey, contentAlgorithm.getAlgorithm().getId(), Cipher.SECRET_KEY);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new CMSException("X25519/X448 key unwrap failed: " + e.getMessage(), e);
        }
    }

    /** EnvelopedData recipient: BC for everything except XDH with a stdDH KDF. */
    static final class EnvelopedRecipient extends JceKeyAgreeEnvelopedRecipient {
        private final PrivateKey key;

        EnvelopedRecipient(PrivateKey key) {
            super(key);
            this.key = key;
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryptionAlgorithm, AlgorithmIdentifier contentAlgorithm,
                                       SubjectPublicKeyInfo sender, ASN1OctetString ukm, byte[] encryptedKey)
                throws CMSException {
            return handles(key, keyEncryptionAlgorithm)
                    ? unwrap(key, keyEncryptionAlgorithm, sender, ukm, encryptedKey, contentAlgorithm)
                    : super.extractSecretKey(keyEncryptionAlgorithm, contentAlgorithm, sender, ukm, encryptedKey);
        }
    }

    /** AuthEnvelopedData recipient, same split. */
    static final class AuthEnvelopedRecipient extends JceKeyAgreeAuthEnvelopedRecipient {
        private final PrivateKey key;

        AuthEnvelopedRecipient(PrivateKey key) {
            super(key);
            this.key = key;
        }

        @Override
        protected Key extractSecretKey(AlgorithmIdentifier keyEncryptionAlgorithm, AlgorithmIdentifier contentAlgorithm,
                                       SubjectPublicKeyInfo sender, ASN1OctetString ukm, byte[] encryptedKey)
                throws CMSException {
            return handles(key, keyEncryptionAlgorithm)
                    ? unwrap(key, keyEncryptionAlgorithm, sender, ukm, encryptedKey, contentAlgorithm)
                    : super.extractSecretKey(keyEncryptionAlgorithm, contentAlgorithm, sender, ukm, encryptedKey);
        }
    }
}
