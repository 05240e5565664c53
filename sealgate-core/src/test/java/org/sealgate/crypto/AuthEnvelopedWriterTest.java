package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** The hand-laid DER of AuthEnvelopedData, read back by Bouncy Castle's own parser and recipient (not ours). */
class AuthEnvelopedWriterTest {

    @ParameterizedTest(name = "{0} bytes")
    // Around the pieces handed to the cipher, the GCM block, and every DER length form (1, 2, 3 length octets).
    @ValueSource(ints = {0, 1, 15, 16, 17, 100, 127, 128, 255, 256, AuthEnvelopedWriter.PIECE - 1,
        AuthEnvelopedWriter.PIECE, AuthEnvelopedWriter.PIECE + 1, 65_535, 65_536, 200_003})
    void encodeShouldGiveStrictDerThatBouncyCastleDecryptsWithItsOwnRecipient(int size) throws Exception {
        BouncyCastle.ensureRegistered();
        byte[] content = TestMessages.randomBytes(size, size + 1);
        X509Certificate recipient = TestPki.aliceRsa().certificate();

        byte[] cms = AuthEnvelopedWriter.encode(content,
            List.of(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BouncyCastle.PROVIDER)));

        assertThat(ASN1Primitive.fromByteArray(cms).getEncoded(ASN1Encoding.DER)).isEqualTo(cms);
        AuthEnvelopedData data = AuthEnvelopedData.getInstance(ContentInfo.getInstance(cms).getContent());
        assertThat(data.getVersion().intValueExact()).isZero();
        assertThat(data.getAuthAttrs()).isNull();
        assertThat(GCMParameters.getInstance(data.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm()
            .getParameters()).getIcvLen()).isEqualTo(16);
        RecipientInformation info = new CMSAuthEnvelopedData(cms).getRecipientInfos().getRecipients().iterator().next();
        byte[] decrypted = info.getContent(new JceKeyTransAuthEnvelopedRecipient(TestPki.aliceRsa().keyPair().getPrivate())
            .setProvider(BouncyCastle.PROVIDER));
        assertThat(decrypted).isEqualTo(content);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 56, 57, 58, 114, 115, 1000, 100_000})
    void base64LinesShouldEqualTheMimeEncoderPlusAFinalCrlf(int size) {
        byte[] data = TestMessages.randomBytes(size, size);
        String expected = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data) + "\r\n";

        assertThat(new String(Encryptor.base64Lines(data), StandardCharsets.US_ASCII)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void oaepIdentifierShouldEncodeAsTheJcaConverterDoesForSha256() throws Exception {
        org.bouncycastle.asn1.x509.AlgorithmIdentifier converted = new org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter()
            .getAlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSAES_OAEP,
                new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
                    javax.crypto.spec.PSource.PSpecified.DEFAULT));

        assertThat(Encryptor.oaepSha256().getEncoded(ASN1Encoding.DER)).isEqualTo(converted.getEncoded(ASN1Encoding.DER));
    }
}
