package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sealgate.zk.config.ClusterConfig;
import org.sealgate.zk.config.ConfigDocument;

/** Which source wins for the next hop and the trusted networks, and what is reported as needing a restart. */
class LiveSettingsRulesTest {
    private static final NodeSettings CONFIGURED = new NodeSettings("gateway.test", "127.0.0.1", 2525,
        List.of("10.0.0.0/8"), List.of("demo.sealgate.test"), Optional.of("relay.local:25"), 51200, true);

    @Test
    void theDocumentShouldWinOverSealgatePropertiesAndApplyWithoutRestart() throws Exception {
        LiveSettings live = LiveSettings.fromDocument(CONFIGURED, Optional.of(config("hop-a.example:25", "192.0.2.0/24")));
        assertThat(live.current()).contains("hop-a.example:25");
        assertThat(live.networks()).containsExactly("192.0.2.0/24");
        assertThat(live.startSettings().relay()).contains("hop-a.example:25");
        AtomicInteger told = new AtomicInteger();
        live.subscribe(told::incrementAndGet);

        live.apply(config("hop-b.example:2525", "198.51.100.0/24"), 2);

        assertThat(live.current()).contains("hop-b.example:2525");
        assertThat(live.networks()).containsExactly("198.51.100.0/24");
        assertThat(told).hasValue(1);
        assertThat(live.restartRequired()).isEmpty();
    }

    @Test
    void aDocumentWithoutNextHopOrNetworksShouldLeaveSealgatePropertiesInForce() throws Exception {
        LiveSettings live = LiveSettings.fromDocument(CONFIGURED, Optional.of(config(null, null)));
        assertThat(live.current()).contains("relay.local:25");
        assertThat(live.networks()).containsExactly("10.0.0.0/8");
        assertThat(live.restartRequired()).isEmpty();
    }

    @Test
    void removingTheLastNextHopShouldKeepTheOldOneAndAskForARestart() throws Exception {
        NodeSettings noRelay = CONFIGURED.withRelay(Optional.empty());
        LiveSettings live = LiveSettings.fromDocument(noRelay, Optional.of(config("hop-a.example:25", null)));
        live.apply(config(null, null), 3);
        assertThat(live.current()).contains("hop-a.example:25");
        assertThat(live.restartRequired()).hasValueSatisfying(reason ->
            assertThat(reason).startsWith("restart required: no next-hop in version 3"));

        live.apply(config("hop-a.example:25", null), 4);
        assertThat(live.restartRequired()).isEmpty();
    }

    @Test
    void aFirstNextHopOnANodeThatStoresToFilesShouldAskForARestart() throws Exception {
        LiveSettings live = LiveSettings.fromDocument(CONFIGURED.withRelay(Optional.empty()), Optional.of(config(null, null)));
        live.apply(config("hop-a.example:25", null), 2);
        assertThat(live.current()).isEmpty();
        assertThat(live.restartRequired()).hasValueSatisfying(reason ->
            assertThat(reason).contains("next-hop hop-a.example:25 of version 2"));
    }

    private static ClusterConfig config(String nextHop, String trusted) throws Exception {
        return ConfigDocument.parse("""
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
            """ + (trusted == null ? "" : "trusted-networks: [" + trusted + "]\n")
            + (nextHop == null ? "" : "next-hop: " + nextHop + "\n")).config();
    }
}
