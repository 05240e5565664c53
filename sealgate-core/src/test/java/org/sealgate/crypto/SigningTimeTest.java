package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningTimeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-12-06T13:07:59Z", "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z", "2049-12-31T23:59:59Z",
        "2050-01-01T00:00:00Z", "1949-06-30T12:00:00Z"})
    void attributeShouldEncodeExactlyAsBouncyCastleDoesFromADate(String instant) throws Exception {
        Instant when = Instant.parse(instant);
        Attribute expected = new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(when))));

        assertThat(SigningTime.attribute(when).getEncoded(ASN1Encoding.DER)).isEqualTo(expected.getEncoded(ASN1Encoding.DER));
        assertThat(Time.getInstance(SigningTime.attribute(when).getAttrValues().getObjectAt(0)).getDate())
            .isEqualTo(Date.from(when));
    }

    /** DER forms, read without Bouncy Castle's SimpleDateFormat: the same instant as Bouncy Castle's reading. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"U261207033000Z", "U491231235959Z", "U500101000000Z", "U000229120000Z", "U991231235959Z",
        "G20261207033000Z", "G19491231235959Z", "G20500101000000Z", "G21000101000000Z",
        // Without seconds: Bouncy Castle's DER encoding adds them, the same instant either way.
        "G202612070330Z"})
    void derTimeShouldBeReadDirectlyAndAgreeWithBouncyCastle(String value) throws Exception {
        ASN1Primitive time = time(value);

        assertThat(SigningTime.derInstant(time)).isPresent();
        assertThat(SigningTime.read(time)).isEqualTo(bouncyCastle(time));
    }

    /**
     * Whatever is not plain DER (fractions, offsets, no seconds) goes to Bouncy Castle, so a sender
     * cannot make the two readings differ: the check that the signer's certificate was valid at signing time sees
     * what Bouncy Castle would have seen.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"U2612070330Z", "U261207033000+0100", "U2612070330-0500", "G20261207033000.5Z",
        "G20261207033000+0100", "G20261207033000.25-0130"})
    void otherTimeFormsShouldBeReadAsBouncyCastleReadsThem(String value) throws Exception {
        ASN1Primitive time = time(value);

        assertThat(SigningTime.derInstant(time)).isEmpty();
        Object expected;
        try {
            expected = bouncyCastle(time);
        } catch (RuntimeException e) {
            expected = e.getClass();
        }
        Object actual;
        try {
            actual = SigningTime.read(time);
        } catch (RuntimeException e) {
            actual = e.getClass();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Impossible dates never get this far: Bouncy Castle refuses them when it decodes the signed attributes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"U261307033000Z", "U260230120000Z", "G20261207033060Z"})
    void impossibleDatesShouldBeRefusedWhenDecoded(String value) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> time(value))
            .isInstanceOf(org.bouncycastle.asn1.ASN1Exception.class);
    }

    @Test
    void valueThatIsNoTimeShouldGiveNoSigningTime() {
        assertThat(SigningTime.read(new DERUTF8String("261207033000Z"))).isEmpty();
    }

    /** "U..." a UTCTime, "G..." a GeneralizedTime, with these exact contents (read back from their encoding). */
    private static ASN1Primitive time(String value) throws Exception {
        byte[] text = value.substring(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] der = new byte[text.length + 2];
        der[0] = (byte) (value.charAt(0) == 'U' ? 0x17 : 0x18);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        ASN1Primitive time = ASN1Primitive.fromByteArray(der);
        assertThat(time).isInstanceOf(value.charAt(0) == 'U' ? ASN1UTCTime.class : ASN1GeneralizedTime.class);
        return time;
    }

    private static Optional<Instant> bouncyCastle(ASN1Encodable time) {
        return Optional.of(Time.getInstance(time).getDate().toInstant());
    }
}
