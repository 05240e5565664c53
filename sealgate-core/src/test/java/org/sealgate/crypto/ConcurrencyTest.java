package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class ConcurrencyTest {

    @Test
    void oneFacadeInstanceShouldServeManyThreadsAtOnce() throws Exception {
        SmimeCrypto crypto = new SmimeCrypto();
        VerificationPolicy policy = VerificationPolicy.trusting(List.of(TestPki.ca().certificate()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SignatureStatus>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String text = "message " + i;
                results.add(pool.submit(() -> {
                    MimeMessage signed = crypto.sign(TestMessages.text(text), TestPki.managed(TestPki.aliceRsa()));
                    MimeMessage encrypted = crypto.encrypt(signed, List.of(TestPki.bobEc().certificate(),
                            TestPki.carolX25519().certificate()), EncryptionPolicy.DEFAULT);
                    DecryptionResult decrypted = crypto.decrypt(encrypted, List.of(TestPki.managed(TestPki.carolX25519())));
                    return crypto.verify(decrypted.message(), policy).status();
                }));
            }
            for (Future<SignatureStatus> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(SignatureStatus.VALID);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
