package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.CrlServer;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.OcspResponder;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.RevocationPki;
import org.sealgate.testing.SmtpSink;

/**
 * Live revocation through a real node over SMTP: partner certificates name a CRL served over HTTP on loopback (JDK
 * HttpServer) or a real OCSP responder ({@code openssl ocsp}); the per-domain {@code revocation} setting decides what
 * an unreachable responder means.
 */
class LiveRevocationTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.crl.example.encrypt = required
        domain.ocsp.example.encrypt = required
        domain.strict.example.encrypt = required
        domain.strict.example.unencryptable = hold
        domain.strict.example.revocation = require
        domain.lenient.example.encrypt = required
        domain.lenient.example.revocation = prefer
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static CrlServer crlServer;
    static OcspResponder responder;
    static RevocationPki partnerCa;
    static URI deadResponder;
    static IssuedIdentity crlGood;
    static IssuedIdentity crlRevoked;
    static IssuedIdentity ocspGood;
    static IssuedIdentity ocspRevoked;
    static IssuedIdentity strictDown;
    static IssuedIdentity lenientDown;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.require(OpenSsl.available(), "openssl (Debian package openssl) for the OCSP responder");
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY, List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048)).toManagedIdentity(BOB));
        partnerCa = RevocationPki.newCa("Partner CA");
        gateway.keys().addTrustAnchor(partnerCa.certificate());

        crlServer = new CrlServer();
        int ocspPort = FreePorts.next();
        URI ocsp = URI.create("http://127.0.0.1:" + ocspPort + "/");
        deadResponder = URI.create("http://127.0.0.1:" + FreePorts.next() + "/"); // nothing ever listens here
        crlGood = partner("good@crl.example", List.of(crlServer.uri()), List.of());
        crlRevoked = partner("revoked@crl.example", List.of(crlServer.uri()), List.of());
        ocspGood = partner("good@ocsp.example", List.of(), List.of(ocsp));
        ocspRevoked = partner("revoked@ocsp.example", List.of(), List.of(ocsp));
        strictDown = partner("down@strict.example", List.of(), List.of(deadResponder));
        lenientDown = partner("down@lenient.example", List.of(), List.of(deadResponder));
        crlServer.serve(RevocationPki.der(partnerCa.crl(List.of(crlRevoked.certificate()))));
        responder = new OcspResponder(work.resolve("ocsp"), partnerCa.certificate(), partnerCa.identity(),
            List.of(RevocationPki.indexLine(ocspGood.certificate(), false), RevocationPki.indexLine(ocspRevoked.certificate(), true)),
            ocspPort).start();
    }

    private static IssuedIdentity partner(String address, List<URI> crls, List<URI> ocsp) {
        IssuedIdentity identity = partnerCa.issue(address, crls, ocsp);
        gateway.keys().addCertificate(identity.certificate());
        return identity;
    }

    @AfterAll
    static void stop() {
        if (responder != null) {
            responder.close();
        }
        if (crlServer != null) {
            crlServer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void certificateRevokedInTheFetchedCrlShouldBeRefusedAndTheMailBouncedNeverInClear() throws Exception {
        send("revoked@crl.example", "out-crl-revoked");

        Map<String, Object> event = gateway.awaitAuditEvent("out-crl-revoked");
        assertThat(event).containsEntry("outcome", "bounced");
        assertThat(event.get("reason").toString()).contains("revoked").contains(crlServer.uri().toString());
        assertThat(receiver.messagesFor("revoked@crl.example")).isEmpty();
    }

    @Test
    void certificateNotInTheFetchedCrlShouldBeEncryptedTo() throws Exception {
        send("good@crl.example", "out-crl-good");

        MimeMessage received = receiver.awaitOne("good@crl.example", "out-crl-good");
        assertThat(received.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(received), crlGood), StandardCharsets.ISO_8859_1))
            .contains("revocation body");
    }

    @Test
    void certificateTheOcspResponderCallsRevokedShouldBeRefusedAndGoodOneUsed() throws Exception {
        send("revoked@ocsp.example", "out-ocsp-revoked");
        send("good@ocsp.example", "out-ocsp-good");

        Map<String, Object> event = gateway.awaitAuditEvent("out-ocsp-revoked");
        assertThat(event).containsEntry("outcome", "bounced");
        assertThat(event.get("reason").toString()).contains("revoked").contains("OCSP responder");
        assertThat(receiver.messagesFor("revoked@ocsp.example")).isEmpty();
        assertThat(receiver.awaitOne("good@ocsp.example", "out-ocsp-good").getContentType()).contains("application/pkcs7-mime");
    }

    @Test
    void responderDownShouldHoldTheMailUnderRequire() throws Exception {
        long before = gateway.quarantined();
        send("down@strict.example", "out-strict-down");

        Map<String, Object> event = gateway.awaitAuditEvent("out-strict-down");
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains("revocation status unknown").contains("revocation: require");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() == before + 1);
        assertThat(receiver.messagesFor("down@strict.example")).isEmpty();
    }

    @Test
    void responderDownShouldDeliverEncryptedAndMarkedUnderPrefer() throws Exception {
        send("down@lenient.example", "out-lenient-down");

        MimeMessage received = receiver.awaitOne("down@lenient.example", "out-lenient-down");
        assertThat(received.getContentType()).contains("application/pkcs7-mime");
        Map<String, Object> event = gateway.awaitAuditEvent("out-lenient-down");
        assertThat(event).containsEntry("outcome", "relayed");
        assertThat(event.get("reason").toString()).contains("revocation status of the certificate for down@lenient.example unknown");
    }

    @Test
    void signatureByACertificateRevokedInTheCrlShouldBeMarkedInvalidWithinOneRefresh() throws Exception {
        // Its own distribution point with a CRL valid for 20 s: refreshed on use from 8 s before nextUpdate.
        try (CrlServer shortLived = new CrlServer()) {
            IssuedIdentity frank = partnerCa.issue("frank@crl.example", List.of(shortLived.uri()), List.of());
            Instant now = Instant.now();
            shortLived.serve(RevocationPki.der(partnerCa.crl(List.of(), now.minusSeconds(60), now.plusSeconds(20))));
            sendSigned(frank, "in-signed-before");
            assertThat(receiver.awaitOne(BOB, "in-signed-before").getHeader("X-Sealgate-Signature", null))
                .isEqualTo("valid; signer=frank@crl.example");

            Instant revokedAt = Instant.now();
            shortLived.serve(RevocationPki.der(partnerCa.crl(List.of(frank.certificate()), revokedAt, revokedAt.plusSeconds(600))));
            Thread.sleep(Duration.between(Instant.now(), now.plusSeconds(13)).toMillis()); // into the refresh window
            sendSigned(frank, "in-signed-after");

            String header = receiver.awaitOne(BOB, "in-signed-after").getHeader("X-Sealgate-Signature", null);
            assertThat(header).startsWith("revoked; signer=frank@crl.example").contains("listed in the CRL");
            assertThat(shortLived.requests()).isEqualTo(2);
        }
    }

    @Test
    void signatureByACertificateTheResponderCallsRevokedShouldBeMarkedRevoked() throws Exception {
        sendSigned(ocspRevoked, "in-ocsp-revoked");

        MimeMessage received = receiver.awaitOne(BOB, "in-ocsp-revoked");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("revoked; signer=revoked@ocsp.example");
        assertThat(received.getSubject()).startsWith("[signed INVALID]");
    }

    @Test
    void signatureWithTheResponderDownShouldBeUntrustedUnderRequireAndMarkedUnderPrefer() throws Exception {
        sendSigned(strictDown, "in-strict-down");
        sendSigned(lenientDown, "in-lenient-down");

        assertThat(receiver.awaitOne(BOB, "in-strict-down").getHeader("X-Sealgate-Signature", null))
            .startsWith("untrusted; signer=down@strict.example").contains("revocation: require");
        assertThat(receiver.awaitOne(BOB, "in-lenient-down").getHeader("X-Sealgate-Signature", null))
            .isEqualTo("valid; signer=down@lenient.example; revocation=unknown");
    }

    @Test
    void signerIssuedByAnIntermediateCarriedOnlyInTheSignatureShouldStillBeCheckedAndMarkedRevoked() throws Exception {
        RevocationPki chainCa = RevocationPki.newIntermediate("Chain Root", "Chain Issuing CA");
        gateway.keys().addTrustAnchor(chainCa.root());
        try (CrlServer chainCrl = new CrlServer()) {
            IssuedIdentity ivan = chainCa.issue("ivan@chain.example", List.of(chainCrl.uri()), List.of());
            chainCrl.serve(RevocationPki.der(chainCa.crl(List.of(ivan.certificate()))));
            Path intermediate = Files.createTempFile(work, "intermediate", ".pem");
            RevocationPki.writePem(intermediate, chainCa.certificate());

            sendSigned(ivan, "in-chain-revoked", "-certfile", intermediate.toString());

            String header = receiver.awaitOne(BOB, "in-chain-revoked").getHeader("X-Sealgate-Signature", null);
            assertThat(header).startsWith("revoked; signer=ivan@chain.example").contains("listed in the CRL");
        }
    }

    @Test
    void signerWhoseIntermediateIsRevokedInTheRootsCrlShouldBeMarkedRevoked() throws Exception {
        RevocationPki root = RevocationPki.newCa("Revoking Root");
        gateway.keys().addTrustAnchor(root.certificate());
        try (CrlServer rootCrl = new CrlServer(); CrlServer issuingCrl = new CrlServer()) {
            RevocationPki intermediate = root.subordinate("Revoked Issuing CA", List.of(rootCrl.uri()));
            IssuedIdentity judy = intermediate.issue("judy@revoked-chain.example", List.of(issuingCrl.uri()), List.of());
            issuingCrl.serve(RevocationPki.der(intermediate.crl(List.of()))); // judy herself is not listed
            rootCrl.serve(RevocationPki.der(root.crl(List.of(intermediate.certificate()))));
            Path pem = Files.createTempFile(work, "intermediate", ".pem");
            RevocationPki.writePem(pem, intermediate.certificate());

            sendSigned(judy, "in-intermediate-revoked", "-certfile", pem.toString());

            String header = receiver.awaitOne(BOB, "in-intermediate-revoked").getHeader("X-Sealgate-Signature", null);
            assertThat(header).startsWith("revoked; signer=judy@revoked-chain.example").contains("Revoked Issuing CA");
            assertThat(rootCrl.requests()).as("the root's CRL was asked about the intermediate").isPositive();
        }
    }

    private static void send(String to, String id) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(to),
            TestMails.plain(ALICE, List.of(to), "Revocation", id, "revocation body")).code()).isEqualTo(250);
    }

    private static void sendSigned(IssuedIdentity signer, String id, String... extraOptions) throws Exception {
        Path cert = Files.createTempFile(work, "signer", ".pem");
        Path key = Files.createTempFile(work, "signer", ".key");
        signer.writePem(cert, key);
        List<String> arguments = new java.util.ArrayList<>(List.of("cms", "-sign", "-signer", cert.toString(), "-inkey",
            key.toString(), "-md", "sha256"));
        arguments.addAll(List.of(extraOptions));
        byte[] signed = OpenSslChecks.openssl(work, ("Content-Type: text/plain; charset=UTF-8\r\n\r\nsigned note\r\n")
            .getBytes(StandardCharsets.UTF_8), arguments.toArray(new String[0]));
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        text = text.startsWith("MIME-Version: 1.0\r\n") ? text.substring(19)
            : text.startsWith("MIME-Version: 1.0\n") ? text.substring(18) : text;
        String from = signer.chain().isEmpty() ? "" : addressOf(signer);
        byte[] message = TestMails.wrap(from, List.of(BOB), "Signed", id, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(BOB), message).code()).isEqualTo(250);
    }

    private static String addressOf(IssuedIdentity identity) throws Exception {
        return (String) identity.certificate().getSubjectAlternativeNames().iterator().next().get(1);
    }
}
