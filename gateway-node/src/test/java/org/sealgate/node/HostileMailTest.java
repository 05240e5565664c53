package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.HostileMime;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.SmtpSink;

/**
 * Mail built to exhaust the node, sent over SMTP to a real node with the default limits: 20,000 nested
 * multiparts (in clear both ways, inside S/MIME and inside OpenPGP encryption), parallel OpenPGP compression bombs
 * of 1 GB of zeros, too many header fields, an overlong header line. Each is held in quarantine with the limit as
 * its reason and an audit event; nothing of it reaches the next hop; the node stays up and the next mail goes
 * through.
 */
class HostileMailTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";
    private static final String PARTNER = "partner@other.example";
    private static final int DEPTH = 20_000;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static IssuedIdentity bob;
    static OpenPGPCertificate bobPgp;

    @BeforeAll
    static void start() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("Hostile Mail CA");
        bob = ca.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048));
        gateway.keys().addManagedIdentity(bob.toManagedIdentity(BOB));
        bobPgp = gateway.pgpKeys().addManagedKey(PgpKeys.generate("Bob <" + BOB + ">", 4), null).certificate();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void twentyThousandNestedMultipartsShouldBeHeldInboundAndOutboundAndTheNextMailDelivered() throws Exception {
        byte[] nested = HostileMime.nestedMultiparts(DEPTH, "deep secret");
        send(CAROL, BOB, TestMails.wrap(CAROL, List.of(BOB), "Deep in", "deep-in", nested));
        send(ALICE, PARTNER, TestMails.wrap(ALICE, List.of(PARTNER), "Deep out", "deep-out", nested));

        assertHeld("deep-in", "MIME nesting deeper than 32 levels");
        assertHeld("deep-out", "MIME nesting deeper than 32 levels");
        assertStillDelivering("after-deep");
    }

    @Test
    void nestedMultipartsInsideSmimeEncryptionShouldBeHeldAfterDecryption() throws Exception {
        Path cert = Files.createTempFile(work, "bob", ".pem");
        Files.writeString(cert, bob.certificatePem());
        byte[] encrypted = OpenSslChecks.openssl(work, HostileMime.nestedMultiparts(DEPTH, "deep secret"), "cms", "-encrypt",
            "-binary", "-aes-256-gcm", cert.toString());
        send(CAROL, BOB, TestMails.wrap(CAROL, List.of(BOB), "Deep S/MIME", "deep-smime", encrypted));

        assertHeld("deep-smime", "MIME nesting deeper than 32 levels");
        assertStillDelivering("after-deep-smime");
    }

    @Test
    void nestedMultipartsInsideOpenPgpEncryptionShouldBeHeldAfterDecryption() throws Exception {
        String armored = OpenPgpPackets.encryptWithMdc(HostileMime.nestedMultiparts(DEPTH, "deep secret"), bobPgp);
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "Deep PGP", "deep-pgp", armored));

        assertHeld("deep-pgp", "MIME nesting deeper than 32 levels");
        assertStillDelivering("after-deep-pgp");
    }

    @Test
    void parallelOpenPgpCompressionBombsShouldBeHeldWhileTheNodeKeepsDelivering() throws Exception {
        String bomb = OpenPgpPackets.compressionBomb(1 << 30, bobPgp);    // 1 GiB of zeros, about 1 MB armored
        assertThat(bomb.length()).isLessThan(4 << 20);
        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<SmtpClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] mail = PgpMails.encrypted(CAROL, BOB, "Bomb " + i, "bomb-" + i, bomb);
                replies.add(pool.submit(() -> SmtpClient.send(gateway.smtpPort(), CAROL, List.of(BOB), mail)));
            }
            for (Future<SmtpClient.Reply> reply : replies) {
                assertThat(reply.get(60, TimeUnit.SECONDS).code()).isEqualTo(250);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < clients; i++) {
            assertHeld("bomb-" + i, "compression bomb");
        }
        assertStillDelivering("after-bombs");
    }

    @Test
    void tooManyHeaderFieldsShouldBeHeldAndAnOverlongLineNeverReachThePipeline() throws Exception {
        send(CAROL, BOB, TestMails.wrap(CAROL, List.of(BOB), "Headers", "many-headers", HostileMime.manyHeaders(600)));
        // James's SMTP server answers a line over 8192 octets with 500 and drops that line, then takes the rest of
        // the mail (limits.header-line-length applies the same bound to decrypted content, which James never saw).
        SmtpClient.Reply reply = SmtpClient.send(gateway.smtpPort(), CAROL, List.of(BOB),
            TestMails.wrap(CAROL, List.of(BOB), "Long line", "long-header", HostileMime.longHeaderLine(20_000)));

        assertHeld("many-headers", "more than 500 header fields");
        assertThat(reply.code()).isEqualTo(500);
        assertThat(receiver.awaitOne(BOB, "long-header").getHeader("X-Long")).as("the overlong line was dropped").isNull();
        assertStillDelivering("after-headers");
    }

    @Test
    void overlongHeaderLineInsideOpenPgpEncryptionShouldBeHeldAfterDecryption() throws Exception {
        String armored = OpenPgpPackets.encryptWithMdc(HostileMime.longHeaderLine(20_000), bobPgp);
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "Long PGP", "long-pgp", armored));

        assertHeld("long-pgp", "longer than 8192 octets");
        assertStillDelivering("after-long-pgp");
    }

    private static void send(String from, String to, byte[] mail) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), mail).code()).isEqualTo(250);
    }

    private static void assertHeld(String id, String reason) throws Exception {
        Map<String, Object> event = gateway.awaitAuditEvent(id);
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains(reason);
        assertThat(receiver.messages()).noneMatch(m -> SmtpSink.messageId(m).contains(id));
        assertThat(receiver.messages()).noneMatch(m -> SmtpSink.text(m).contains("deep secret"));
    }

    /** The node is up and the next ordinary mail, inbound and outbound, is delivered; nothing fell into error. */
    private static void assertStillDelivering(String id) throws Exception {
        send(CAROL, BOB, TestMails.plain(CAROL, List.of(BOB), "Normal", id + "-in", "an ordinary mail"));
        send(ALICE, PARTNER, TestMails.plain(ALICE, List.of(PARTNER), "Normal", id + "-out", "an ordinary mail"));
        assertThat(SmtpSink.text(receiver.awaitOne(BOB, id + "-in"))).contains("an ordinary mail");
        assertThat(SmtpSink.text(receiver.awaitOne(PARTNER, id + "-out"))).contains("an ordinary mail");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.errors() == 0);
        assertThat(gateway.errors()).as("nothing fell into the error repository").isZero();
    }
}
