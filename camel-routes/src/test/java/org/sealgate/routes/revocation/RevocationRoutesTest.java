package org.sealgate.routes.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.revocation.RevocationTransport;
import org.sealgate.routes.SealgateCamel;

import com.sun.net.httpserver.HttpServer;

/**
 * CRL and OCSP exchanges carried by the revocation routes in a real CamelContext, against a real HTTP server on
 * loopback: answers come back through the route, failures as reasons, redirects are not followed, sizes and time
 * are bounded.
 */
class RevocationRoutesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path auditDir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<byte[]> posted = new AtomicReference<>();
    private final AtomicReference<String> postedType = new AtomicReference<>();
    private SealgateCamel camel;
    /** How often the route reached its HTTP leg: proof the exchange went through Camel. */
    private final AtomicInteger legCalls = new AtomicInteger();
    private RevocationTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body;
            switch (exchange.getRequestURI().getPath()) {
                case "/ca.crl" -> body = "crl-bytes".getBytes();
                case "/big.crl" -> body = new byte[64 * 1024];
                case "/moved.crl" -> {
                    exchange.getResponseHeaders().add("Location", base() + "/ca.crl");
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                case "/ocsp" -> {
                    posted.set(exchange.getRequestBody().readAllBytes());
                    postedType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
                    body = "ocsp-answer".getBytes();
                }
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        camel = SealgateCamel.start(auditDir);
        transport = camel.revocationTransport(counting(RevocationTransport.direct()));
    }

    @AfterEach
    void stop() {
        camel.close();
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RevocationTransport counting(RevocationTransport http) {
        return new RevocationTransport() {
            @Override
            public byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException {
                legCalls.incrementAndGet();
                return http.get(uri, timeout, maxBytes);
            }

            @Override
            public byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) throws IOException {
                legCalls.incrementAndGet();
                return http.post(uri, contentType, body, timeout, maxBytes);
            }
        };
    }

    @Test
    void crlShouldBeFetchedThroughTheCrlRoute() throws IOException {
        byte[] answer = transport.get(URI.create(base() + "/ca.crl"), TIMEOUT, 1024);

        assertThat(new String(answer)).isEqualTo("crl-bytes");
        assertThat(legCalls.get()).isEqualTo(1);
        assertThat(requests).containsExactly("GET /ca.crl");
    }

    @Test
    void ocspRequestShouldBePostedThroughTheOcspRoute() throws IOException {
        byte[] answer = transport.post(URI.create(base() + "/ocsp"), "application/ocsp-request", new byte[] {1, 2, 3},
            TIMEOUT, 1024);

        assertThat(new String(answer)).isEqualTo("ocsp-answer");
        assertThat(posted.get()).containsExactly(1, 2, 3);
        assertThat(postedType.get()).isEqualTo("application/ocsp-request");
        assertThat(legCalls.get()).isEqualTo(1);
    }

    @Test
    void aRedirectShouldNotBeFollowedAndComeBackAsAReason() {
        assertThatThrownBy(() -> transport.get(URI.create(base() + "/moved.crl"), TIMEOUT, 1024))
            .isInstanceOf(IOException.class).hasMessageContaining("HTTP 302");
        assertThat(requests).containsExactly("GET /moved.crl");
    }

    @Test
    void anAnswerLargerThanTheLimitShouldBeRefused() {
        assertThatThrownBy(() -> transport.get(URI.create(base() + "/big.crl"), TIMEOUT, 1024))
            .isInstanceOf(IOException.class).hasMessageContaining("limit of 1024");
    }

    @Test
    void aMissingCrlShouldComeBackAsTheHttpStatus() {
        assertThatThrownBy(() -> transport.get(URI.create(base() + "/gone.crl"), TIMEOUT, 1024))
            .isInstanceOf(IOException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void aStuckExchangeShouldBeGivenUpAfterItsTimeoutWhateverTheRouteDoes() throws Exception {
        try (SealgateCamel other = SealgateCamel.start(auditDir.resolve("other"))) {
            RevocationTransport stuck = other.revocationTransport(new RevocationTransport() {
                @Override
                public byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException {
                    try {
                        Thread.sleep(30_000); // an HTTP leg that ignores its bound
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("interrupted");
                }

                @Override
                public byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) {
                    throw new UnsupportedOperationException();
                }
            });
            long started = System.nanoTime();

            assertThatThrownBy(() -> stuck.get(URI.create(base() + "/ca.crl"), Duration.ofMillis(300), 1024))
                .isInstanceOf(IOException.class).hasMessageContaining("took longer than");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the caller's bound: timeout plus grace").isLessThan(Duration.ofSeconds(10));
        }
    }
}
