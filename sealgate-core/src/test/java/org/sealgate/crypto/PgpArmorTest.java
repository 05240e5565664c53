package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

/**
 * The one-pass armor is the armor Bouncy Castle's stream writes (CRC line included), with CRLF line ends; the one-pass
 * decoder reads what BC's parser reads (armor it does not handle itself goes to BC's parser) and refuses a wrong checksum.
 */
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
    void armorVariantsShouldDecodeAsBouncyCastlesParserDecodesThem() throws Exception {
        byte[] binary = TestMessages.randomBytes(10_000, 9);
        binary[0] = (byte) 0xc1;
        String lf = bouncyCastleArmor(binary);
        String withoutChecksum = lf.replaceAll("\n=[A-Za-z0-9+/]{4}\n", "\n");
        String withHeader = lf.replace("-----BEGIN PGP MESSAGE-----\n", "-----BEGIN PGP MESSAGE-----\nComment: hi\n");
        String indented = "\r\n" + lf + "\r\n\r\n";

        for (String armored : new String[] {lf, withoutChecksum, withHeader, indented}) {
            assertThat(PgpArmor.binary(armored.getBytes(StandardCharsets.US_ASCII))).isEqualTo(binary);
        }
    }

    @Test
    void wrongChecksumShouldBeRefused() {
        byte[] binary = TestMessages.randomBytes(3000, 4);
        binary[0] = (byte) 0xc1;
        String armored = new String(PgpArmor.armor(binary), StandardCharsets.US_ASCII);
        String checksum = armored.substring(armored.indexOf("\r\n=") + 3, armored.indexOf("\r\n=") + 7);
        String wrong = armored.replace("\r\n=" + checksum, "\r\n=" + (checksum.equals("AAAA") ? "AAAB" : "AAAA"));

        assertThatThrownBy(() -> PgpArmor.binary(wrong.getBytes(StandardCharsets.US_ASCII))).isInstanceOf(IOException.class);
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
