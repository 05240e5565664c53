package org.sealgate.bench.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.sealgate.crypto.DecryptionResult;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.ManagedIdentity;

/**
 * Checks what reached the sink: in the encrypted scenarios each message must be application/pkcs7-mime, decrypt with
 * the recipient's key and, with signing, contain a signed message; the baseline's must arrive in clear.
 */
final class SinkCheck {
    private static final SmimeCrypto CRYPTO = new SmimeCrypto();

    private SinkCheck() {
    }

    /** Empty when the dump is as the scenario requires, else what is wrong. */
    static Optional<String> check(Path dump, Scenario scenario, ManagedIdentity recipient) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(Files.readAllBytes(dump)));
            String type = String.valueOf(message.getContentType()).toLowerCase(java.util.Locale.ROOT);
            if (!scenario.encrypts()) {
                return type.contains("pkcs7") ? Optional.of(dump.getFileName() + ": baseline mail is " + type) : Optional.empty();
            }
            if (!type.startsWith("application/pkcs7-mime") && !type.startsWith("application/x-pkcs7-mime")) {
                return Optional.of(dump.getFileName() + ": not encrypted, Content-Type " + type);
            }
            DecryptionResult result = CRYPTO.decrypt(message, List.of(recipient));
            if (scenario.signs() && !SmimeCrypto.isSigned(result.message())) {
                return Optional.of(dump.getFileName() + ": decrypts but the content is not signed");
            }
            return Optional.empty();
        } catch (IOException | javax.mail.MessagingException | RuntimeException e) {
            return Optional.of(dump.getFileName() + ": " + e);
        } catch (Exception e) {
            return Optional.of(dump.getFileName() + ": does not decrypt: " + e);
        }
    }
}
