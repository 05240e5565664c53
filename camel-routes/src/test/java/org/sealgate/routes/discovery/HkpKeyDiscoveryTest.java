package org.sealgate.routes.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.pgp.PgpKeys;

/** HKP and VKS key servers: real HTTPS servers on loopback (JDK HttpsServer), one that accepts and never answers. */
class HkpKeyDiscoveryTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static LoopbackTls tls;
    private static WkdServer empty;
    private static WkdServer keys;
    private static ServerSocket silent;
    private static final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private static OpenPGPKey henry;
    private static OpenPGPKey mallory;

    private CamelContext camel;

    @BeforeAll
    static void startServers() throws Exception {
        tls = LoopbackTls.create();
        empty = new WkdServer(tls.server);
        keys = new WkdServer(tls.server);
        henry = PgpKeys.generate("Henry <henry@hkp.example>", 4);
        mallory = PgpKeys.generate("Mallory <mallory@evil.example>", 4);
        keys.publish("/pks/lookup?op=get&options=mr&search=henry%40hkp.example", henry.toCertificate().getEncoded());
        keys.publish("/vks/v1/by-email/henry%40hkp.example", henry.toCertificate().getEncoded());
        // Anyone may upload any key under any name to a key server: this one claims ivy's address but names mallory.
        keys.publish("/pks/lookup?op=get&options=mr&search=ivy%40hkp.example", mallory.toCertificate().getEncoded());
        silent = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-key-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopServers() throws IOException {
        if (empty != null) {
            empty.close();
        }
        if (keys != null) {
            keys.close();
        }
        if (silent != null) {
            silent.close();
        }
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(1);
        camel.start();
        empty.requests.clear();
        keys.requests.clear();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void hkpShouldAskServersInOrderAndYieldTheKeyOfTheFirstThatHasIt() {
        DiscoveryResult result = discover(List.of("https://" + empty.authority(), "https://" + keys.authority()),
            Duration.ofSeconds(5), "Henry@HKP.example");

        assertThat(result.keys()).singleElement().satisfies(key -> {
            assertThat(key.kind()).isEqualTo(DiscoveredKey.Kind.OPENPGP);
            assertThat(key.source()).isEqualTo("hkp https://" + keys.authority());
            assertThat(PgpKeys.fingerprint(key.pgpCertificate())).isEqualTo(PgpKeys.fingerprint(henry));
        });
        assertThat(empty.requests).containsExactly("/pks/lookup?op=get&options=mr&search=henry%40hkp.example");
        assertThat(keys.requests).containsExactly("/pks/lookup?op=get&options=mr&search=henry%40hkp.example");
    }

    @Test
    void vksServerShouldBeAskedByEmail() {
        DiscoveryResult result = discover(List.of("vks:https://" + keys.authority()), Duration.ofSeconds(5),
            "henry@hkp.example");

        assertThat(result.keys()).singleElement()
            .satisfies(key -> assertThat(key.source()).isEqualTo("hkp vks:https://" + keys.authority()));
        assertThat(keys.requests).containsExactly("/vks/v1/by-email/henry%40hkp.example");
    }

    @Test
    void keyServerAnswerForAnotherAddressShouldBeRefusedWithAReason() {
        DiscoveryResult result = discover(List.of("https://" + keys.authority()), Duration.ofSeconds(5),
            "ivy@hkp.example");

        assertThat(result.found()).isFalse();
        assertThat(result.reasons()).singleElement().asString()
            .contains("hkp: refused a OPENPGP key").contains("mallory@evil.example").contains("not ivy@hkp.example");
    }

    @Test
    void hangingServerShouldBeGivenUpWithinTheSourceTimeoutAndTheNextServerAsked() {
        Instant start = Instant.now();
        // All servers share the source's 2 s: the hung one uses all of it, so the next is not reached in time.
        DiscoveryResult hung = discover(List.of("https://127.0.0.1:" + silent.getLocalPort(),
            "https://" + keys.authority()), Duration.ofSeconds(2), "henry@hkp.example");

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(hung.found()).isFalse();
        assertThat(hung.reasons()).singleElement().asString().contains("hkp: ");
    }

    @Test
    void plainHttpKeyServerShouldBeRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> HkpSource.Server.parse("http://keys.example", false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allow-plain-http");
        assertThatThrownBy(() -> HkpSource.Server.parse("ftp://keys.example", true))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HkpSource.Server.parse("https://keys.example/?search=x", false))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(HkpSource.Server.parse("http://keys.example:11371/", true).toString())
            .isEqualTo("http://keys.example:11371");
        assertThat(HkpSource.Server.parse("vks:https://keys.openpgp.org", false).vks()).isTrue();
    }

    private DiscoveryResult discover(List<String> servers, Duration timeout, String address) {
        HkpSource source = new HkpSource(servers.stream().map(s -> HkpSource.Server.parse(s, false)).toList(),
            tls.client, timeout);
        DiscoveredKeyValidator validator = new DiscoveredKeyValidator(List.of(),
            domain -> domain.equals("sealgate.example"), List.of(), Clock.systemUTC());
        return CamelKeyDiscovery.start(camel, List.of(source), new DiscoveryOrder(List.of("hkp"), Map.of()), validator,
            new DiscoveryCache(Duration.ofHours(1), Duration.ofMinutes(5), 100, Clock.systemUTC()), Clock.systemUTC())
            .discover(address, BOUND);
    }
}
