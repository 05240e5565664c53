package org.sealgate.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;

/**
 * The signingTime signed attribute (RFC 5652 §11.3), built from its DER bytes and read back from them. Bouncy
 * Castle goes through a new SimpleDateFormat (a Calendar and a locale set up per call) both ways: a fifth of a 100 KB
 * signature's samples beside the RSA operation, and ~0.25 ms of each verified mail.
 */
final class SigningTime {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter DIGITS = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
        .withResolverStyle(ResolverStyle.STRICT);
    private static final int UTC_TIME_TAG = 0x17;

    private SigningTime() {
    }

    static Attribute attribute(Instant when) {
        ZonedDateTime utc = when.atZone(ZoneOffset.UTC);
        Time time;
        if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
            // RFC 5652: UTCTime for 1950–2049, seconds and 'Z' always present.
            byte[] text = UTC_TIME.format(utc).getBytes(StandardCharsets.US_ASCII);
            byte[] der = new byte[2 + text.length];
            der[0] = UTC_TIME_TAG;
            der[1] = (byte) text.length;
            System.arraycopy(text, 0, der, 2, text.length);
            try {
                time = Time.getInstance(ASN1Primitive.fromByteArray(der));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read back a UTCTime: " + e.getMessage(), e);
            }
        } else {
            time = new Time(Date.from(when));
        }
        return new Attribute(CMSAttributes.signingTime, new DERSet(time));
    }

    /**
     * The instant a signingTime value names, as Bouncy Castle's {@code Time.getInstance(value).getDate()} reads it:
     * the DER forms (UTCTime {@code YYMMDDHHMMSSZ}, 1950–2049; GeneralizedTime {@code YYYYMMDDHHMMSSZ}) here, any
     * other form (fractions, offsets, no seconds, impossible dates) by Bouncy Castle itself, so that the outcome never
     * differs; empty when the value is no time at all.
     */
    static Optional<Instant> read(ASN1Encodable value) {
        Optional<Instant> der = derInstant(value.toASN1Primitive());
        if (der.isPresent()) {
            return der;
        }
        try {
            return Optional.of(Time.getInstance(value).getDate().toInstant());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A DER UTCTime or GeneralizedTime without fraction; empty for anything else. */
    static Optional<Instant> derInstant(ASN1Primitive value) {
        boolean utc = value instanceof ASN1UTCTime;
        if (!utc && !(value instanceof ASN1GeneralizedTime)) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = value.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            return Optional.empty();
        }
        int digits = utc ? 12 : 14;
        // Tag, one length byte, the digits, 'Z'.
        if (der.length != digits + 3 || der[der.length - 1] != 'Z') {
            return Optional.empty();
        }
        for (int i = 2; i < 2 + digits; i++) {
            if (der[i] < '0' || der[i] > '9') {
                return Optional.empty();
            }
        }
        String text = new String(der, 2, digits, StandardCharsets.US_ASCII);
        if (utc) {
            // RFC 5280 §4.1.2.5.1, as Bouncy Castle's adjusted date: YY below 50 is 20YY, else 19YY.
            text = (text.charAt(0) < '5' ? "20" : "19") + text;
        }
        try {
            return Optional.of(LocalDateTime.parse(text, DIGITS).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
