package org.sealgate.crypto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformationStore;

/**
 * An EnvelopedData or AuthEnvelopedData parsed once, told apart by its ContentInfo type (smime-type may be missing
 * or lie): Bouncy Castle's recipient store (for matching and key agreement), and the fields the JDK's AES needs
 * (content algorithm, ciphertext, authAttrs, tag) with the key-transport recipient infos as they are encoded.
 */
final class CmsEnvelope {
    private static final Map<ASN1ObjectIdentifier, String> CONTENT_ALGORITHMS = Map.ofEntries(
        Map.entry(NISTObjectIdentifiers.id_aes128_GCM, "AES-128-GCM"),
        Map.entry(NISTObjectIdentifiers.id_aes192_GCM, "AES-192-GCM"),
        Map.entry(NISTObjectIdentifiers.id_aes256_GCM, "AES-256-GCM"),
        Map.entry(NISTObjectIdentifiers.id_aes128_CCM, "AES-128-CCM"),
        Map.entry(NISTObjectIdentifiers.id_aes256_CCM, "AES-256-CCM"),
        Map.entry(NISTObjectIdentifiers.id_aes128_CBC, "AES-128-CBC"),
        Map.entry(NISTObjectIdentifiers.id_aes192_CBC, "AES-192-CBC"),
        Map.entry(NISTObjectIdentifiers.id_aes256_CBC, "AES-256-CBC"),
        Map.entry(PKCSObjectIdentifiers.des_EDE3_CBC, "3DES-CBC"),
        Map.entry(PKCSObjectIdentifiers.id_alg_AEADChaCha20Poly1305, "ChaCha20-Poly1305"));

    /** One key-transport RecipientInfo: whom it names and the wrapped content key. */
    record KeyTrans(KeyTransRecipientId id, AlgorithmIdentifier keyEncryption, byte[] encryptedKey) {
    }

    private final RecipientInformationStore recipients;
    private final boolean authenticated;
    private final AlgorithmIdentifier contentAlgorithm;
    private final byte[] encryptedContent;
    private final ASN1Set authAttributes;
    private final byte[] mac;
    private final List<KeyTrans> keyTransports;

    private CmsEnvelope(RecipientInformationStore recipients, boolean authenticated, EncryptedContentInfo content,
                        ASN1Set authAttributes, byte[] mac, ASN1Set recipientInfos) {
        this.recipients = recipients;
        this.authenticated = authenticated;
        this.contentAlgorithm = content.getContentEncryptionAlgorithm();
        ASN1OctetString encrypted = content.getEncryptedContent();
        this.encryptedContent = encrypted == null ? null : encrypted.getOctets();
        this.authAttributes = authAttributes;
        this.mac = mac;
        List<KeyTrans> transports = new ArrayList<>();
        for (ASN1Encodable element : recipientInfos) {
            if (RecipientInfo.getInstance(element).getInfo() instanceof KeyTransRecipientInfo info) {
                transports.add(new KeyTrans(id(info.getRecipientIdentifier()), info.getKeyEncryptionAlgorithm(),
                    info.getEncryptedKey().getOctets()));
            }
        }
        this.keyTransports = List.copyOf(transports);
    }

    static CmsEnvelope parse(byte[] cms) throws CryptoException {
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
            if (info == null) {
                throw new CryptoException("the S/MIME body is empty");
            }
            ASN1ObjectIdentifier type = info.getContentType();
            if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                AuthEnvelopedData data = AuthEnvelopedData.getInstance(info.getContent());
                return new CmsEnvelope(new CMSAuthEnvelopedData(info).getRecipientInfos(), true,
                    data.getAuthEncryptedContentInfo(), data.getAuthAttrs(), data.getMac().getOctets(),
                    data.getRecipientInfos());
            }
            if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                EnvelopedData data = EnvelopedData.getInstance(info.getContent());
                return new CmsEnvelope(new CMSEnvelopedData(info).getRecipientInfos(), false,
                    data.getEncryptedContentInfo(), null, null, data.getRecipientInfos());
            }
            throw new CryptoException("the S/MIME body is CMS " + type.getId() + ", not (auth)enveloped data");
        } catch (IOException | CMSException | IllegalArgumentException | IllegalStateException | ClassCastException
                 | NullPointerException e) {
            throw new CryptoException("the CMS structure is garbled or truncated: " + e.getMessage(), e);
        }
    }

    private static KeyTransRecipientId id(RecipientIdentifier identifier) {
        if (identifier.isTagged()) {
            return new KeyTransRecipientId(ASN1OctetString.getInstance(identifier.getId()).getOctets());
        }
        IssuerAndSerialNumber issuerSerial = IssuerAndSerialNumber.getInstance(identifier.getId());
        return new KeyTransRecipientId(issuerSerial.getName(), issuerSerial.getSerialNumber().getValue());
    }

    RecipientInformationStore recipients() {
        return recipients;
    }

    boolean authenticated() {
        return authenticated;
    }

    AlgorithmIdentifier contentAlgorithm() {
        return contentAlgorithm;
    }

    /** The ciphertext; detached content (absent here) is refused by the decryptors. */
    byte[] encryptedContent() throws CryptoException {
        if (encryptedContent == null) {
            throw new CryptoException("the CMS envelope carries no encrypted content");
        }
        return encryptedContent;
    }

    ASN1Set authAttributes() {
        return authAttributes;
    }

    byte[] mac() {
        return mac;
    }

    List<KeyTrans> keyTransports() {
        return keyTransports;
    }

    String algorithmName() {
        return CONTENT_ALGORITHMS.getOrDefault(contentAlgorithm.getAlgorithm(), contentAlgorithm.getAlgorithm().getId());
    }
}
