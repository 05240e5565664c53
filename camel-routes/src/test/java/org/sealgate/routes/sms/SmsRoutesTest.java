package org.sealgate.routes.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.testing.RecordingHttpEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The SMS route against a real local HTTP endpoint (JDK HttpServer on a free loopback port). */
class SmsRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Secure message: your first password for secure messages to carol@x.test is abcd-efgh-ijkm-npqr";

    @TempDir
    Path data;
    private RecordingHttpEndpoint smsGateway;
    private SealgateCamel camel;

    @BeforeEach
    void startGateway() throws IOException {
        smsGateway = RecordingHttpEndpoint.start("/api/sms", "{\"id\":\"42\"}", "{\"error\":\"busy\"}");
        camel = SealgateCamel.start(data.resolve("audit"));
    }

    @AfterEach
    void stop() {
        camel.close();
        smsGateway.close();
    }

    @Test
    void smsShouldBePostedAsJsonWithBasicAuthentication() throws Exception {
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        sms.send("+41791234567", TEXT);

        assertThat(smsGateway.requests()).singleElement().satisfies(request -> {
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
        smsGateway.answerWith(503);
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        assertThatThrownBy(() -> sms.send("+41791234567", TEXT)).isInstanceOf(SmsGateway.SmsException.class)
            .hasMessageContaining("answered HTTP 503").hasMessageNotContaining("abcd-efgh");
        assertThat(smsGateway.requests()).hasSize(1);
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
        return smsGateway.uri();
    }

    private SmsSettings settings(URI url) throws IOException {
        Path credentials = Files.writeString(data.resolve("sms.credentials"), "sealgate:sms-secret\n");
        return SmsSettings.of(url, Optional.of(credentials), "Sealgate");
    }
}
