package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyEditor;
import org.junit.jupiter.api.Test;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.testing.TestMessages;

/**
 * A passphrase-protected managed key is unlocked once per key object, not once per message (SessionKeys); a key that
 * does not unlock still fails the message, and the certificate of a managed key is made once.
 */
class PgpUnlockOnceTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private final PgpCrypto crypto = new PgpCrypto();

    private static OpenPGPKey locked(char[] passphrase) throws Exception {
        OpenPGPKey plain = PgpKeys.generate("Bob <" + TestMessages.TO + ">", 4);
        OpenPGPKeyEditor editor = PgpKeys.api().editKey(plain, (char[]) null);
        for (OpenPGPKey.OpenPGPSecretKey component : plain.getSecretKeys().values()) {
            editor.changePassphrase(component.getKeyIdentifier(), (char[]) null, passphrase.clone(), false);
        }
        return editor.done();
    }

    @Test
    void protectedKeyShouldBeUnlockedOnceForManyMessages() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        PgpManagedKey bob = new PgpManagedKey(TestMessages.TO, locked(PASSPHRASE), component -> {
            asked.incrementAndGet();
            return PASSPHRASE.clone();
        });

        for (int i = 0; i < 3; i++) {
            MimeMessage encrypted = crypto.encrypt(TestMessages.text("message number " + i), List.of(bob.certificate()),
                Optional.empty(), PgpEncryptionPolicy.DEFAULT);
            PgpDecryptionResult result = crypto.decrypt(encrypted, List.of(bob), PgpVerificationPolicy.strict(List.of()));

            assertThat(TestMessages.firstText(result.message())).contains("message number " + i);
            assertThat(result.mechanism()).isEqualTo("SEIPDv1 AES-256 MDC");
        }
        assertThat(asked.get()).as("passphrase asked for").isEqualTo(1);
        assertThat(bob.certificate()).isSameAs(bob.certificate());
    }

    @Test
    void keyThatDoesNotUnlockShouldStillFailTheMessage() throws Exception {
        OpenPGPKey key = locked(PASSPHRASE);
        PgpManagedKey wrong = new PgpManagedKey(TestMessages.TO, key, component -> "wrong".toCharArray());
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("secret"), List.of(wrong.certificate()),
            Optional.empty(), PgpEncryptionPolicy.DEFAULT);

        assertThatThrownBy(() -> crypto.decrypt(encrypted, List.of(wrong), PgpVerificationPolicy.strict(List.of())))
            .isInstanceOf(CryptoException.class);
    }
}
