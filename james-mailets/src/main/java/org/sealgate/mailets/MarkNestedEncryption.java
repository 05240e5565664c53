package org.sealgate.mailets;

import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.crypto.NestedEncryption;

/**
 * Marks mail that carries encrypted content below the top level (an armored OpenPGP block, a PGP/MIME or S/MIME
 * encrypted part inside a multipart). The decrypting mailets leave such parts as they are: decrypting them in place
 * would put an old ciphertext's plaintext inside parts the sender composed around it (EFAIL). The recipient sees
 * {@code X-Sealgate-Nested-Encryption: not-decrypted; part="..."}; the audit step is
 * {@code nested-encryption-not-decrypted}. Place it after the decrypting mailets.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.MarkNestedEncryption"/>
 * }</pre>
 */
public class MarkNestedEncryption extends GenericMailet {
    static final String HEADER = "X-Sealgate-Nested-Encryption";

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> nested = NestedEncryption.find(mail.getMessage());
        if (nested.isEmpty()) {
            return;
        }
        mail.getMessage().setHeader(HEADER, "not-decrypted; part=\"" + nested.get()
            + "\"; reason=\"only top-level encrypted content is decrypted\"");
        mail.getMessage().saveChanges();
        AuditTrail.recordStep(mail, "nested-encryption-not-decrypted", Map.of());
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate: marks encrypted parts left encrypted inside a multipart";
    }
}
