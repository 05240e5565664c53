package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

/** The one-pass armor is the armor Bouncy Castle's stream writes (CRC line included), with CRLF line ends. */
class PgpArmorTest {

    @Test
    void armorShouldEqualBouncyCastlesArmorWithCrlfAndDecodeBack() throws Exception {
        for (int size : new int[] {1, 2, 3, 47, 48, 49, 1000, 65_537, (1 << 20) + 1}) {
            byte[] binary = TestMessages.randomBytes(size, size);
            // A session-key packet tag first, as in every message we armor: BC names its armor after the first packet.
            binary[0] = (byte) 0xc1;

            byte[] ours = PgpArmor.armor(binary);

            assertThat(new String(ours, StandardCharsets.US_ASCII)).as("size %d", size)
                .isEqualTo(bouncyCastleArmor(binary).replaceAll("\r?\n", "\r\n"));
            assertThat(PgpArmor.binary(ours)).as("size %d", size).isEqualTo(binary);
        }
    }

    @Test
    void binaryDataShouldPassThroughUnchanged() throws Exception {
        byte[] packets = {(byte) 0xc1, 0x03, 1, 2, 3};

        assertThat(PgpArmor.binary(packets)).isEqualTo(packets);
    }

    private static String bouncyCastleArmor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out)) {
            armor.write(binary);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
