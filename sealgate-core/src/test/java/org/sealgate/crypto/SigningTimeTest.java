package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
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
}
