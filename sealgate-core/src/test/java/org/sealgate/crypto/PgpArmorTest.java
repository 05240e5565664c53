package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.FastCRC24;
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

    @Test
    void crc24ShouldEqualBouncyCastlesForEveryLengthAndOffset() {
        byte[] data = TestMessages.randomBytes(4096 + 7, 24);
        for (int from : new int[] {0, 1, 2, 3, 5}) {
            for (int length : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1000, 4096}) {
                FastCRC24 expected = new FastCRC24();
                for (int i = from; i < from + length; i++) {
                    expected.update(data[i] & 0xff);
                }

                assertThat(PgpArmor.crc24(data, from, from + length)).as("from %d length %d", from, length)
                    .isEqualTo(expected.getValue());
            }
        }
    }

    @Test
    void armorInsideALargerArrayShouldBeDecodedFromItsRange() throws Exception {
        byte[] binary = TestMessages.randomBytes(200_000, 11);
        binary[0] = (byte) 0xc1;
        byte[] armored = PgpArmor.armor(binary);
        byte[] mail = new byte[armored.length + 300];
        java.util.Arrays.fill(mail, (byte) 'x');
        System.arraycopy(armored, 0, mail, 100, armored.length);

        assertThat(PgpArmor.binary(new ByteSlice(mail, 100, 100 + armored.length))).isEqualTo(binary);
        byte[] into = new byte[PgpArmor.armoredLength(binary.length) + 10];
        assertThat(PgpArmor.armorInto(binary, 0, binary.length, into, 5)).isEqualTo(5 + armored.length);
        assertThat(java.util.Arrays.copyOfRange(into, 5, 5 + armored.length)).isEqualTo(armored);
    }

    @Test
    void armorThatIsNotPlainShouldBeReadAsBouncyCastlesParserReadsIt() throws Exception {
        byte[] binary = TestMessages.randomBytes(3000, 5);
        binary[0] = (byte) 0xc1;
        String lf = bouncyCastleArmor(binary);
        int firstData = lf.indexOf("\n\n") + 2;
        String[] variants = {
            // padding in the middle, a character outside the alphabet, a line too long, data after the checksum
            lf.substring(0, firstData + 8) + "=" + lf.substring(firstData + 9),
            lf.substring(0, firstData + 8) + "*" + lf.substring(firstData + 9),
            lf.replaceFirst("\n", "\n").substring(0, firstData + 64) + lf.substring(firstData + 65),
            lf.replace("\n-----END", "\nAAAA\n-----END"),
        };
        for (String variant : variants) {
            byte[] bytes = variant.getBytes(StandardCharsets.US_ASCII);
            Object expected = bouncyCastleParse(bytes);
            Object ours;
            try {
                ours = PgpArmor.binary(bytes);
            } catch (IOException | RuntimeException e) {
                ours = "refused";
            }
            assertThat(ours).isEqualTo(expected);
        }
    }

    private static Object bouncyCastleParse(byte[] armored) {
        try (java.io.InputStream in = org.bouncycastle.openpgp.PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(armored))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return "refused";
        }
    }

    private static String bouncyCastleArmor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out)) {
            armor.write(binary);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
