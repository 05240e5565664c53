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
import org.sealgate.pgp.PgpKeys;

/**
 * The sink checks refuse what the quick benchmark must never count as delivered: clear text, mail for another key,
 * a non-carrier in the GINA scenario, mail to the sender that is not GINA's first-password mail, and dumps whose
 * envelope is not the recipient's. (The quick benchmark shows they accept what the node really sends.)
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
