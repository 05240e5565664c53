package org.sealgate.routes.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.routes.SealgateCamel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** The SMS route against a real local HTTP endpoint (JDK HttpServer on a free loopback port). */
class SmsRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Secure message: your first password for secure messages to carol@x.test is abcd-efgh-ijkm-npqr";

    @TempDir
    Path data;
    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private SealgateCamel camel;

    record Request(String method, String path, String contentType, String authorization, String body) {
    }

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/sms", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = (status.get() == 200 ? "{\"id\":\"42\"}" : "{\"error\":\"busy\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        camel = SealgateCamel.start(data.resolve("audit"));
    }

    @AfterEach
    void stop() {
        camel.close();
        server.stop(0);
    }

    @Test
    void smsShouldBePostedAsJsonWithBasicAuthentication() throws Exception {
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        sms.send("+41791234567", TEXT);

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/sms");
            assertThat(request.contentType()).startsWith("application/json");
            assertThat(request.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("sealgate:sms-secret".getBytes(StandardCharsets.UTF_8)));
            JsonNode body = JSON.readTree(request.body());
            assertThat(body.get("to").asText()).isEqualTo("+41791234567");
            assertThat(body.get("text").asText()).isEqualTo(TEXT);
            assertThat(body.get("from").asText()).isEqualTo("Sealgate");
        });
    }

    @Test
    void gatewayErrorShouldBeAClearFailureNamingTheStatusButNotTheText() throws Exception {
        status.set(503);
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        assertThatThrownBy(() -> sms.send("+41791234567", TEXT)).isInstanceOf(SmsGateway.SmsException.class)
            .hasMessageContaining("answered HTTP 503").hasMessageNotContaining("abcd-efgh");
        assertThat(requests).hasSize(1);
    }

    @Test
    void unreachableGatewayShouldFailWithoutWaitingLong() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SmsGateway sms = camel.smsGateway(settings(URI.create("http://127.0.0.1:" + closedPort + "/api/sms")));

        long start = System.nanoTime();
        assertThatThrownBy(() -> sms.send("+41791234567", TEXT)).isInstanceOf(SmsGateway.SmsException.class)
            .hasMessageContaining("could not be reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void settingsShouldRefuseClearHttpBeyondLoopbackAndHideThePassword() throws Exception {
        assertThatThrownBy(() -> settings(URI.create("http://sms.example.com/api")))
            .hasMessageContaining("must be https");
        assertThat(settings(URI.create("https://sms.example.com/api")).toString()).doesNotContain("sms-secret");
    }

    private URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/sms");
    }

    private SmsSettings settings(URI url) throws IOException {
        Path credentials = Files.writeString(data.resolve("sms.credentials"), "sealgate:sms-secret\n");
        return SmsSettings.of(url, Optional.of(credentials), "Sealgate");
    }
}
