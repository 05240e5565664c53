package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.policy.PolicyEngine;
import org.sealgate.policy.PolicyFile;
import org.sealgate.policy.PolicyRules;
import org.sealgate.policy.RecipientKeys;

/**
 * The sink checks refuse what the quick benchmark must never count as delivered: clear text, mail for another key,
 * a non-carrier in the GINA scenario, mail to the sender that is not GINA's first-password mail, dumps whose
 * envelope is not the recipient's, and in passthrough anything but the submitted message unchanged. (The quick benchmark shows they accept what the node really sends.)
 */
class SinkCheckTest {
    private static final MessageShape SHAPE = new MessageShape(4 * 1024, false);

    @TempDir
    static Path work;
    static BenchFixture pgpFixture;

    @BeforeAll
    static void createFixture() throws Exception {
        pgpFixture = BenchFixture.create(work.resolve("data"), Scenario.PGP_ENCRYPT, 2525, 2526);
    }

    @AfterAll
    static void close() throws Exception {
        pgpFixture.close();
    }

    @Test
    void pgpCheckShouldAcceptOnlyPgpMimeThatDecryptsWithTheRecipientsKey() throws Exception {
        MimeMessage clear = message();
        Path forBob = dump("bob.eml", BenchFixture.RECIPIENT,
            new PgpCrypto().encrypt(clear, List.of(pgpFixture.pgpRecipient().toCertificate()), Optional.empty(), null));
        Path forEve = dump("eve.eml", BenchFixture.RECIPIENT, new PgpCrypto().encrypt(clear,
            List.of(PgpKeys.generate("Eve <eve@partner.example>", 4).toCertificate()), Optional.empty(), null));
        Path inClear = dump("clear.eml", BenchFixture.RECIPIENT, clear);

        assertThat(SinkCheck.check(forBob, Scenario.PGP_ENCRYPT, pgpFixture, SHAPE)).isEmpty();
        assertThat(SinkCheck.check(forEve, Scenario.PGP_ENCRYPT, pgpFixture, SHAPE)).isPresent();
        assertThat(SinkCheck.check(inClear, Scenario.PGP_ENCRYPT, pgpFixture, SHAPE)).get().asString().contains("in clear");
    }

    @Test
    void ginaCheckShouldRefuseClearTextAndAnythingButASignedCarrier() throws Exception {
        Path pgp = dump("pgp.eml", BenchFixture.RECIPIENT,
            new PgpCrypto().encrypt(message(), List.of(pgpFixture.pgpRecipient().toCertificate()), Optional.empty(), null));
        Path inClear = dump("clear.eml", BenchFixture.RECIPIENT, message());

        assertThat(SinkCheck.check(pgp, Scenario.GINA, pgpFixture, SHAPE)).get().asString().contains("not a signed GINA carrier");
        assertThat(SinkCheck.check(inClear, Scenario.GINA, pgpFixture, SHAPE)).get().asString().contains("in clear");
    }

    @Test
    void onlyGinasFirstPasswordMailShouldPassAsANoticeToTheSender() throws Exception {
        MimeMessage notice = message();
        notice.setSubject(SinkCheck.FIRST_PASSWORD_SUBJECT);
        MimeMessage bounce = message();
        bounce.setSubject("Undeliverable: bench load");

        assertThat(SinkCheck.checkNotice(dump("notice.eml", BenchFixture.SENDER, notice))).isEmpty();
        assertThat(SinkCheck.checkNotice(dump("bounce.eml", BenchFixture.SENDER, bounce))).get().asString()
            .contains("unexpected mail to the sender");
    }

    @Test
    void envelopesShouldCountOnlyDumpsAddressedToTheRecipientAlone() throws Exception {
        Path bob = dump("to-bob.eml", BenchFixture.RECIPIENT, message());
        Path alice = dump("to-alice.eml", BenchFixture.SENDER, message());
        Path both = Files.writeString(work.resolve("to-both.eml"), "X-Rcpt-Args: <" + BenchFixture.RECIPIENT
            + ">\nX-Rcpt-Args: <" + BenchFixture.SENDER + ">\nSubject: x\n\nx\n");
        Path noEnvelope = Files.writeString(work.resolve("partial.eml"), "X-Client-Addr: 127.0.0.1\n");

        Envelopes envelopes = new Envelopes(BenchFixture.RECIPIENT);
        List<Path> files = List.of(bob, alice, both, noEnvelope);
        assertThat(envelopes.toRecipient(files)).containsExactly(bob);
        assertThat(envelopes.toOthers(files)).containsExactly(alice, both, noEnvelope);
    }

    @Test
    void inboundCheckShouldAcceptOnlyOpenedTaggedMailWithTheAttachmentIntact() throws Exception {
        MessageShape shape = new MessageShape(20 * 1024, true);
        try (BenchFixture inbound = BenchFixture.create(work.resolve("inbound/data"), Scenario.INBOUND_SMIME, 2527, 2528)) {
            String sent = inbound.message(shape, "in@bench.sealgate.test", "report");
            Path stillEncrypted = Files.writeString(work.resolve("in-encrypted.eml"), sent);
            String inner = InboundMail.innerEntity(shape);
            String headers = "From: " + BenchFixture.INBOUND_SENDER + "\nTo: " + BenchFixture.INBOUND_RECIPIENT
                + "\nMessage-ID: <in@bench.sealgate.test>\nMIME-Version: 1.0\n"
                + "X-Sealgate-Decryption: decrypted; algorithm=AES-256-GCM\nX-Sealgate-Signature: valid\n";
            // As the sink writes them: lines end in CRLF.
            Path opened = Files.write(work.resolve("in-opened.eml"), Messages.crlf(headers + "Subject: [signed OK] report\n" + inner));
            Path untagged = Files.write(work.resolve("in-untagged.eml"), Messages.crlf(headers + "Subject: report\n" + inner));
            int at = inner.indexOf("\n\n", inner.indexOf("report.bin")) + 10;
            String flipped = inner.substring(0, at) + (inner.charAt(at) == 'A' ? 'B' : 'A') + inner.substring(at + 1);
            Path damaged = Files.write(work.resolve("in-damaged.eml"), Messages.crlf(headers + "Subject: [signed OK] report\n" + flipped));

            assertThat(sent).contains("application/pkcs7-mime").doesNotContain(SinkCheck.CLEAR_TEXT);
            assertThat(SinkCheck.check(opened, Scenario.INBOUND_SMIME, inbound, shape)).isEmpty();
            assertThat(SinkCheck.check(stillEncrypted, Scenario.INBOUND_SMIME, inbound, shape)).get().asString()
                .contains("still encrypted");
            assertThat(SinkCheck.check(untagged, Scenario.INBOUND_SMIME, inbound, shape)).get().asString()
                .contains("not tagged [signed OK]");
            assertThat(SinkCheck.check(damaged, Scenario.INBOUND_SMIME, inbound, shape)).get().asString()
                .contains("differs");
        }
        try (BenchFixture baseline = BenchFixture.create(work.resolve("inbound-baseline/data"), Scenario.INBOUND_BASELINE,
            Scenario.Load.SMIME_SIGNED_ENCRYPTED, 2529, 2530)) {
            Path relayed = Files.writeString(work.resolve("in-relayed.eml"), baseline.message(shape, "b@bench.sealgate.test", "r"));
            Path plain = dump("in-plain.eml", BenchFixture.INBOUND_RECIPIENT, message());

            assertThat(SinkCheck.check(relayed, Scenario.INBOUND_BASELINE, baseline, shape)).isEmpty();
            assertThat(SinkCheck.check(plain, Scenario.INBOUND_BASELINE, baseline, shape)).get().asString()
                .contains("relayed application/pkcs7-mime as");
        }
    }

    @Test
    void passthroughFixtureShouldGiveTheRecipientNoKeySoThatThePolicySendsItUnencryptedAndUnsigned() throws Exception {
        try (BenchFixture pass = BenchFixture.create(work.resolve("pass-policy/data"), Scenario.PASSTHROUGH, 2531, 2532)) {
            FileKeyDirectory certificates = FileKeyDirectory.open(pass.data().resolve("keys"));
            FilePgpKeyDirectory pgpKeys = FilePgpKeyDirectory.open(pass.data());
            PolicyRules policy = PolicyFile.parse(Files.readAllLines(pass.data().resolve("policy.properties")));
            RecipientKeys stored = new RecipientKeys() {
                @Override
                public Check smime(String address) {
                    return certificates.certificatesFor(address).isEmpty() ? Check.unusable("none") : Check.usable("");
                }

                @Override
                public Check pgp(String address) {
                    return pgpKeys.hasUsableEncryptionKey(address) ? Check.usable("") : Check.unusable("none");
                }
            };

            MailDecision decision = new PolicyEngine(policy, stored).decide(BenchFixture.SENDER, "bench load",
                Optional.empty(), List.of(BenchFixture.RECIPIENT));

            assertThat(decision.forRecipient(BenchFixture.RECIPIENT)).get().extracting(MailDecision.RecipientDecision::outcome)
                .isEqualTo(Outcome.PLAIN);
            assertThat(decision.sign()).isFalse();
            assertThat(BenchPlan.of("goals").scenarios()).doesNotContain(Scenario.PASSTHROUGH);
            assertThat(BenchPlan.of("quick").scenarios()).contains(Scenario.PASSTHROUGH);
            assertThat(Scenario.PASSTHROUGH.baseline()).isEqualTo(Scenario.BASELINE);
        }
    }

    @Test
    void passthroughCheckShouldAcceptOnlyTheSubmittedMessageUnencryptedAndUnchanged() throws Exception {
        MessageShape shape = new MessageShape(20 * 1024, true);
        try (BenchFixture pass = BenchFixture.create(work.resolve("pass/data"), Scenario.PASSTHROUGH, 2533, 2534)) {
            String sent = pass.message(shape, "load@bench.sealgate.test", "bench load");
            // As the sink writes it: its envelope records, the hops' trace fields, then the message.
            String envelope = "X-Client-Addr: 127.0.0.1\nX-Rcpt-Args: <" + BenchFixture.RECIPIENT + ">\n"
                + "Received: from gateway.bench.sealgate.test ([127.0.0.1])\n\tby sink; Thu, 1 Jan 2026 00:00:01 +0000\n";
            Path relayed = Files.write(work.resolve("pass-relayed.eml"), Messages.crlf(envelope + sent));
            Path probe = Files.write(work.resolve("pass-probe.eml"),
                Messages.crlf(envelope + pass.message(shape, "probe-1-2@bench.sealgate.test", "bench probe")));
            Path tagged = Files.write(work.resolve("pass-tagged.eml"),
                Messages.crlf(envelope + sent.replace("Subject: bench load", "Subject: [signed OK] bench load")));
            Path marked = Files.write(work.resolve("pass-marked.eml"),
                Messages.crlf(envelope + "X-Sealgate-Policy-Debug: plain\n" + sent));
            Path retyped = Files.write(work.resolve("pass-retyped.eml"), Messages.crlf(envelope
                + sent.replace("Content-Type: multipart/mixed;", "Content-Type: multipart/alternative;")));
            int at = sent.indexOf("\n\n", sent.indexOf("report.bin")) + 10;
            String flipped = sent.substring(0, at) + (sent.charAt(at) == 'A' ? 'B' : 'A') + sent.substring(at + 1);
            Path damaged = Files.write(work.resolve("pass-damaged.eml"), Messages.crlf(envelope + flipped));
            Path encrypted = dump("pass-encrypted.eml", BenchFixture.RECIPIENT, new PgpCrypto().encrypt(
                parse(sent), List.of(pgpFixture.pgpRecipient().toCertificate()), Optional.empty(), null));

            assertThat(SinkCheck.check(relayed, Scenario.PASSTHROUGH, pass, shape)).isEmpty();
            assertThat(SinkCheck.check(probe, Scenario.PASSTHROUGH, pass, shape)).isEmpty();
            assertThat(SinkCheck.check(tagged, Scenario.PASSTHROUGH, pass, shape)).get().asString()
                .contains("not a message the benchmark sent");
            assertThat(SinkCheck.check(marked, Scenario.PASSTHROUGH, pass, shape)).get().asString()
                .contains("X-Sealgate-Policy-Debug");
            assertThat(SinkCheck.check(retyped, Scenario.PASSTHROUGH, pass, shape)).get().asString()
                .contains("header Content-Type");
            assertThat(SinkCheck.check(damaged, Scenario.PASSTHROUGH, pass, shape)).get().asString()
                .contains("the body differs");
            assertThat(SinkCheck.check(encrypted, Scenario.PASSTHROUGH, pass, shape)).isPresent();
        }
    }

    private static MimeMessage parse(String message) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Messages.crlf(message)));
    }

    private static MimeMessage message() throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(Messages.crlf(Messages.message(SHAPE, "check@bench.sealgate.test", "bench load"))));
    }

    /** As smtp-sink -d writes it: the envelope records, then the message. */
    private static Path dump(String name, String recipient, MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("X-Client-Addr: 127.0.0.1\nX-Client-Proto: ESMTP\nX-Mail-Args: <" + BenchFixture.SENDER
            + ">\nX-Rcpt-Args: <" + recipient + ">\n").getBytes(StandardCharsets.US_ASCII));
        message.writeTo(out);
        return Files.write(work.resolve(name), out.toByteArray());
    }
}
