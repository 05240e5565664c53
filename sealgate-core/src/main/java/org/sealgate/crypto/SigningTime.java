package org.sealgate.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;

/**
 * The signingTime signed attribute (RFC 5652 §11.3), built from its DER bytes. Bouncy Castle's default attribute
 * generator makes it from a Date through a new SimpleDateFormat (a Calendar and a locale set up per signature),
 * a fifth of a 100 KB signature's samples beside the RSA operation; the DER decoder takes the bytes as they are.
 */
final class SigningTime {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
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
}
