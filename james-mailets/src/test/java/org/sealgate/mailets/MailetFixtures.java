package org.sealgate.mailets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.sealgate.audit.AuditEvent;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.policy.PolicyFile;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/**
 * Shared fixtures for the mailet and matcher tests: real certificates from the test CA (EC P-256, which is fast to
 * generate), real James mails ({@link MailImpl}, whose message wrapper keeps the Message-ID exactly as in the
 * server), mailet configs and a parsed policy.
 */
public final class MailetFixtures {
    private static final Map<String, IssuedIdentity> ISSUED = new ConcurrentHashMap<>();

    private MailetFixtures() {
    }

    /** A certificate for the address, EC P-256, valid from an hour ago for a year; one per address per JVM. */
    public static IssuedIdentity identity(String address) {
        return ISSUED.computeIfAbsent(address,
            a -> TestPki.ca().issue(IssueRequest.forEmail(a, KeyType.EC_P256)));
    }

    public static IssuedIdentity expired(String address) {
        Instant now = Instant.now();
        return ISSUED.computeIfAbsent("expired:" + address, a -> TestPki.ca().issue(
            IssueRequest.forEmail(address, KeyType.EC_P256).validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))));
    }

    /** An EC certificate that may only sign: no keyAgreement, so it cannot be encrypted to. */
    public static IssuedIdentity signingOnly(String address) {
        return ISSUED.computeIfAbsent("signing:" + address, a -> TestPki.ca().issue(
            IssueRequest.forEmail(address, KeyType.EC_P256).keyUsage(KeyUsage.digitalSignature)));
    }

    public static org.sealgate.policy.PolicyRules policy(String... lines) {
        try {
            return PolicyFile.parse(List.of(lines));
        } catch (PolicyFile.PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Mail mail(MimeMessage message, String sender, String... recipients) throws MessagingException {
        List<MailAddress> addresses = new ArrayList<>();
        for (String recipient : recipients) {
            addresses.add(new MailAddress(recipient));
        }
        return MailImpl.builder().name("mail-" + System.nanoTime())
            .sender(sender)
            .addRecipients(addresses)
            .mimeMessage(message)
            .state("transport")
            .build();
    }

    /** The test's managed domain: what the mailet context's {@code isLocalServer} says yes to (as James's domain list). */
    public static final String MANAGED_DOMAIN = "sealgate.test";

    public static FakeMailetConfig config(FakeMailContext context, String... keysAndValues) {
        FakeMailetConfig.Builder builder = FakeMailetConfig.builder().mailetName("test").mailetContext(managing(context));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return builder.build();
    }

    /** {@code context}, but with {@link #MANAGED_DOMAIN} local (FakeMailContext knows only localhost). */
    static org.apache.mailet.MailetContext managing(FakeMailContext context) {
        return (org.apache.mailet.MailetContext) java.lang.reflect.Proxy.newProxyInstance(MailetFixtures.class.getClassLoader(),
            new Class<?>[] {org.apache.mailet.MailetContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("isLocalServer")) {
                    return ((org.apache.james.core.Domain) args[0]).asString().equalsIgnoreCase(MANAGED_DOMAIN) || context.isLocalServer((org.apache.james.core.Domain) args[0]);
                }
                try {
                    return method.invoke(context, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    public static List<String> recipients(Mail mail) {
        return mail.getRecipients().stream().map(MailAddress::asString).toList();
    }

    public static List<String> recipients(FakeMailContext.SentMail sent) {
        return sent.getRecipients().stream().map(MailAddress::asString).toList();
    }

    /** The single audit event AuditTrail makes of the mail now. */
    public static AuditEvent event(Mail mail) {
        return AuditTrail.toEvent(mail, "relayed", java.time.Clock.systemUTC());
    }

    public static String attribute(Mail mail, org.apache.mailet.AttributeName name) {
        return mail.getAttribute(name).flatMap(a -> a.getValue().valueAs(String.class)).orElse(null);
    }

    public static byte[] bytes(Mail mail) throws MessagingException {
        return TestMessages.bytes(mail.getMessage());
    }

    public static String text(Mail mail) throws MessagingException {
        return new String(bytes(mail), StandardCharsets.ISO_8859_1);
    }

    /** The message with its base64 body decoded, one byte flipped at {@code fromEnd} bytes before the end, re-encoded. */
    public static MimeMessage flipByteInBody(MimeMessage message, int fromEnd) {
        byte[] raw = TestMessages.bytes(message);
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int split = all.indexOf("\r\n\r\n");
        byte[] body = Base64.getMimeDecoder().decode(all.substring(split + 4));
        byte[] changed = Arrays.copyOf(body, body.length);
        changed[changed.length - fromEnd] ^= 0x5A;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(all.substring(0, split + 4).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(Base64.getMimeEncoder().encodeToString(changed).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return TestMessages.parse(out.toByteArray());
    }

    public static List<X509Certificate> certificates(IssuedIdentity... identities) {
        return Arrays.stream(identities).map(IssuedIdentity::certificate).toList();
    }
}
