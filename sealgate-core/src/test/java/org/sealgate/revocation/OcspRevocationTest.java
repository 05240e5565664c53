package org.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.MutableClock;
import org.sealgate.testing.OcspResponder;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.RevocationPki;

import com.sun.net.httpserver.HttpServer;

/** OCSP against a real responder: {@code openssl ocsp -port} on loopback, answering from an openssl CA index. */
class OcspRevocationTest {
    private static RevocationPki ca;
    private static RevocationPki strangerCa;
    private static IssuedIdentity good;
    private static IssuedIdentity revoked;
    private static int responderPort;

    @TempDir
    Path directory;
    private MutableClock clock;
    private RevocationChecker checker;
    private OcspResponder responder;
    private HttpServer proxy;

    @BeforeAll
    static void pki() throws Exception {
        Prerequisites.require(OpenSsl.available(), "openssl (Debian package openssl) for the OCSP responder");
        ca = RevocationPki.newCa("Partner CA");
        strangerCa = RevocationPki.newCa("Stranger CA");
        responderPort = org.sealgate.testing.FreePorts.next();
        URI ocsp = URI.create("http://127.0.0.1:" + responderPort + "/");
        good = ca.issue("carol@partner.example", List.of(), List.of(ocsp));
        revoked = ca.issue("mallory@partner.example", List.of(), List.of(ocsp));
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.now());
        checker = RevocationCheckers.live(RevocationSettings.defaults().withTimeout(Duration.ofSeconds(3)), List::of, clock);
    }

    @AfterEach
    void tearDown() {
        if (responder != null) {
            responder.close();
        }
        if (proxy != null) {
            proxy.stop(0);
        }
    }

    private List<String> index() {
        return List.of(RevocationPki.indexLine(good.certificate(), false), RevocationPki.indexLine(revoked.certificate(), true));
    }

    /** The real responder on the port the certificates name, signing as {@code signer}. */
    private void respondAs(IssuedIdentity signer) throws Exception {
        responder = new OcspResponder(directory.resolve("ocsp"), ca.certificate(), signer, index(), responderPort).start();
    }

    private RevocationStatus check(IssuedIdentity identity) {
        return checker.check(identity.certificate(), List.of(ca.certificate()));
    }

    @Test
    void responderSigningAsTheCaShouldSayGoodAndRevoked() throws Exception {
        respondAs(ca.identity());

        RevocationStatus goodStatus = check(good);
        RevocationStatus revokedStatus = check(revoked);

        assertThat(goodStatus.isGood()).as(goodStatus.toString()).isTrue();
        assertThat(goodStatus.source()).isEqualTo("ocsp");
        assertThat(revokedStatus.isRevoked()).as(revokedStatus.toString()).isTrue();
        assertThat(revokedStatus.detail()).contains("revoked");
    }

    @Test
    void delegatedResponderCertifiedForOcspSigningShouldBeAccepted() throws Exception {
        respondAs(ca.ocspResponder("Partner OCSP", true));

        assertThat(check(revoked).isRevoked()).isTrue();
        assertThat(check(good).isGood()).isTrue();
    }

    @Test
    void delegatedResponderWithoutOcspSigningShouldBeRefusedWithAReason() throws Exception {
        respondAs(ca.ocspResponder("Partner mail cert", false));

        RevocationStatus status = check(good);

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("signed neither by the issuer");
    }

    @Test
    void responseSignedByAnotherCaShouldBeRefusedWithAReason() throws Exception {
        respondAs(strangerCa.ocspResponder("Stranger OCSP", true));

        RevocationStatus status = check(good);

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("signed neither by the issuer");
    }

    @Test
    void answerShouldBeCachedUntilNextUpdateAndTheResponderDownThenGivesUnknown() throws Exception {
        respondAs(ca.identity());
        assertThat(check(good).isGood()).isTrue();
        responder.close();

        assertThat(check(good).isGood()).as("cached: openssl -nmin 10 gives nextUpdate in 10 minutes").isTrue();

        clock.advance(Duration.ofMinutes(16)); // past nextUpdate (and the clock skew)
        RevocationStatus status = check(good);
        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("refused");
    }

    @Test
    void responderDownShouldGiveUnknownWithinTheTimeoutAndThenBackOff() {
        long start = System.nanoTime();
        RevocationStatus first = check(good);
        RevocationStatus second = check(good);

        assertThat(first.isUnknown()).isTrue();
        assertThat(second.detail()).contains("not asked again");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void responseForAnotherSerialShouldBeRefusedWithAReason() throws Exception {
        respondAs(ca.identity());
        // A man in the middle answers every request with the (genuine, signed) response about another certificate.
        URI forged = proxy(request -> requestFor(revoked, false));
        IssuedIdentity target = ca.issue("carol2@partner.example", List.of(), List.of(forged));

        RevocationStatus status = checker.check(target.certificate(), List.of(ca.certificate()));

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("the response is for serial " + revoked.certificate().getSerialNumber().toString(16));
    }

    @Test
    void responseWithAnotherNonceShouldBeRefusedAsAReplay() throws Exception {
        respondAs(ca.identity());
        IssuedIdentity[] holder = new IssuedIdentity[1];
        URI replaying = proxy(request -> requestFor(holder[0], true));
        holder[0] = ca.issue("carol3@partner.example", List.of(), List.of(replaying));
        Files.writeString(directory.resolve("ocsp/sealgate-ocsp-index.txt"), RevocationPki.indexLine(holder[0].certificate(), false), java.nio.file.StandardOpenOption.APPEND);

        RevocationStatus status = checker.check(holder[0].certificate(), List.of(ca.certificate()));

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("nonce is not the one we sent");
    }

    /** An OCSP request for {@code subject}, with a nonce of our own when asked (never the client's). */
    private static byte[] requestFor(IssuedIdentity subject, boolean withNonce) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(ca.certificate()), subject.certificate().getSerialNumber());
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (withNonce) {
                builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).getEncoded()))));
            }
            return builder.build().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback HTTP server that forwards a rewritten request to the real responder and returns its answer. */
    private URI proxy(UnaryOperator<byte[]> rewrite) throws Exception {
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = rewrite.apply(in.readAllBytes());
            }
            HttpURLConnection upstream = (HttpURLConnection) responder.uri().toURL().openConnection();
            upstream.setDoOutput(true);
            upstream.setConnectTimeout(2000);
            upstream.setReadTimeout(2000);
            upstream.setRequestProperty("Content-Type", "application/ocsp-request");
            try (OutputStream out = upstream.getOutputStream()) {
                out.write(request);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try (InputStream in = upstream.getInputStream()) {
                in.transferTo(answer);
            }
            exchange.sendResponseHeaders(200, answer.size());
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.toByteArray());
            }
        });
        proxy.start();
        return URI.create("http://127.0.0.1:" + proxy.getAddress().getPort() + "/");
    }
}
