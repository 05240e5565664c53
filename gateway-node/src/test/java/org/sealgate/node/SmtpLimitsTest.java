package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.SmtpSink;

/**
 * SMTP connection and recipient limits of a real node (smtp.max-connections-per-ip 3, smtp.max-connections 5,
 * smtp.max-recipients 5): one address cannot take every connection, all addresses together cannot exceed the
 * total, and a mail cannot fan out past the recipient limit.
 */
class SmtpLimitsTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN), Map.of("smtp.max-connections-per-ip", "3", "smtp.max-connections", "5",
                "smtp.max-recipients", "5"));
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
    void connectionBeyondThePerAddressLimitShouldBeRefusedWhileAnotherAddressStillConnects() throws Exception {
        List<SmtpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new SmtpClient("127.0.0.3", gateway.smtpPort()));
            }
            assertThatThrownBy(() -> new SmtpClient("127.0.0.3", gateway.smtpPort()).close())
                .isInstanceOf(IOException.class);
            try (SmtpClient other = new SmtpClient("127.0.0.4", gateway.smtpPort())) {
                assertThat(other.command("NOOP").code()).isEqualTo(250);
            }
        } finally {
            closeAll(held);
        }
        // Once the attacker's connections are gone, the address may connect again.
        awaitConnects("127.0.0.3");
    }

    @Test
    void connectionBeyondTheTotalLimitShouldBeRefused() throws Exception {
        List<SmtpClient> held = new ArrayList<>();
        try {
            for (String address : List.of("127.0.0.5", "127.0.0.5", "127.0.0.6", "127.0.0.6", "127.0.0.7")) {
                held.add(new SmtpClient(address, gateway.smtpPort()));
            }
            assertThatThrownBy(() -> new SmtpClient("127.0.0.8", gateway.smtpPort()).close())
                .isInstanceOf(IOException.class);
        } finally {
            closeAll(held);
        }
        awaitConnects("127.0.0.8");
    }

    @Test
    void recipientsBeyondTheLimitShouldGet452AndTheMailGoToTheOthers() throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.smtpPort())) {
            assertThat(client.command("MAIL FROM:<" + ALICE + ">").code()).isEqualTo(250);
            for (int i = 0; i < 5; i++) {
                assertThat(client.command("RCPT TO:<r" + i + "@other.example>").code()).isEqualTo(250);
            }
            SmtpClient.Reply sixth = client.command("RCPT TO:<r5@other.example>");
            assertThat(sixth.code()).isEqualTo(452);
            assertThat(sixth.text()).contains("4.5.3");
        }
    }

    private static void closeAll(List<SmtpClient> clients) throws IOException {
        for (SmtpClient client : clients) {
            client.close();
        }
    }

    /** James counts a connection until its channel is closed on its side: wait (bounded) for that. */
    private static void awaitConnects(String address) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(200))
            .ignoreExceptions().until(() -> {
                try (SmtpClient client = new SmtpClient(address, gateway.smtpPort())) {
                    return client.command("NOOP").code() == 250;
                }
            });
    }
}
