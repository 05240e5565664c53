package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.TestMessages;

/**
 * One OpenPGP decryption for several managed recipients: a further recipient counts only when its own session-key
 * packet carries the session key that opened the message; a packet added for someone else with a session key of
 * the adder's choosing releases no plaintext to anyone.
 */
class PgpDecryptOnceTest {
    private static final PgpManagedKey ALICE = new PgpManagedKey("alice@sealgate.test",
        PgpKeys.generate("Alice <alice@sealgate.test>", 4), component -> null);
    private static final PgpManagedKey CAROL = new PgpManagedKey("carol@sealgate.test",
        PgpKeys.generate("Carol <carol@sealgate.test>", 4), component -> null);
    private static final PgpManagedKey DAVE = new PgpManagedKey("dave@sealgate.test",
        PgpKeys.generate("Dave <dave@sealgate.test>", 4), component -> null);
    private final PgpCrypto crypto = new PgpCrypto();

    private MimeMessage encrypted(String text, PgpManagedKey... to) throws Exception {
        return TestMessages.parse(TestMessages.bytes(crypto.encrypt(TestMessages.text(text),
            java.util.Arrays.stream(to).map(PgpManagedKey::certificate).toList(), Optional.empty(), PgpEncryptionPolicy.DEFAULT)));
    }

    @Test
    void genuineMailToTwoManagedRecipientsShouldOpenForBothWithOneDecryption() throws Exception {
        MimeMessage message = encrypted("for Alice and Carol", ALICE, CAROL);

        PgpRecipientsDecryption once = crypto.decryptForRecipients(message, List.of(DAVE, ALICE, CAROL), null);

        assertThat(once.result().key()).isEqualTo(ALICE);
        assertThat(once.opened()).containsExactly(ALICE, CAROL);
        assertThat(TestMessages.firstText(once.result().message())).contains("for Alice and Carol");
    }

    @Test
    void forgedSessionKeyPacketForASecondRecipientShouldReleaseNoPlaintextToAnyone() throws Exception {
        // Carol takes a mail encrypted to Alice only and adds a session-key packet for her own key, with a session
        // key of her choosing (taken from another message to her), hoping to get Alice's plaintext too.
        MimeMessage toAlice = encrypted("for Alice only", ALICE);
        MimeMessage toCarol = encrypted("anything", CAROL);
        String armored = new String(PgpMime.encryptedPayloadInPlace(toAlice).toArray(), StandardCharsets.US_ASCII);
        byte[] alice = PgpArmor.binary(PgpMime.encryptedPayloadInPlace(toAlice));
        byte[] carol = PgpArmor.binary(PgpMime.encryptedPayloadInPlace(toCarol));
        int alicePacket = OpenPgpPackets.firstPacketLength(alice);
        byte[] forged = new byte[alice.length + OpenPgpPackets.firstPacketLength(carol)];
        System.arraycopy(alice, 0, forged, 0, alicePacket);
        System.arraycopy(carol, 0, forged, alicePacket, OpenPgpPackets.firstPacketLength(carol));
        System.arraycopy(alice, alicePacket, forged, alicePacket + OpenPgpPackets.firstPacketLength(carol), alice.length - alicePacket);
        String raw = new String(TestMessages.bytes(toAlice), StandardCharsets.US_ASCII)
            .replace(armored.trim(), new String(PgpArmor.armor(forged), StandardCharsets.US_ASCII).replaceAll("\r?\n", "\r\n").trim());
        MimeMessage message = TestMessages.parse(raw);
        assertThat(TestMessages.firstText(crypto.decrypt(message, List.of(ALICE), null).message()))
            .as("the forged message still opens for Alice alone").contains("for Alice only");

        assertThatThrownBy(() -> crypto.decryptForRecipients(message, List.of(ALICE, CAROL), null))
            .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
        assertThatThrownBy(() -> crypto.decryptForRecipients(message, List.of(CAROL, ALICE), null))
            .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
    }
}
