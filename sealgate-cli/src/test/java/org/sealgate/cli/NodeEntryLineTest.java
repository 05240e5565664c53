package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.config.NodeRole;

class NodeEntryLineTest {
    private static final String DOCUMENT = """
        schema-version: 1
        domains:
          - name: example.org   # ours
        gina: {host-name: gina.example.org, port: 8443}
        vip: {address: 198.18.17.10, interface: eth0, virtual-router-id: 51}
        nodes:
          - {id: gw1, addresses: [198.18.17.1], role: primary, priority: 150}   # the first node
        # trailing comment
        """;

    @Test
    void upsertShouldAppendANewNodeAndKeepTheAdministratorsComments() throws Exception {
        String updated = NodeEntryLine.upsert(DOCUMENT, new NodeEntry("gw2", List.of("198.18.17.2"), NodeRole.SECONDARY, 100));

        assertThat(updated).contains("# ours", "# the first node", "# trailing comment");
        assertThat(ConfigDocument.parse(updated).config().nodes()).containsExactly(
            new NodeEntry("gw1", List.of("198.18.17.1"), NodeRole.PRIMARY, 150),
            new NodeEntry("gw2", List.of("198.18.17.2"), NodeRole.SECONDARY, 100));
    }

    @Test
    void upsertShouldReplaceTheEntryOfTheSameIdOnly() throws Exception {
        String twice = NodeEntryLine.upsert(DOCUMENT, new NodeEntry("gw2", List.of("198.18.17.2"), NodeRole.SECONDARY, 100));
        String updated = NodeEntryLine.upsert(twice, new NodeEntry("gw2", List.of("198.18.17.22"), NodeRole.SECONDARY, 90));

        assertThat(ConfigDocument.parse(updated).config().nodes()).containsExactly(
            new NodeEntry("gw1", List.of("198.18.17.1"), NodeRole.PRIMARY, 150),
            new NodeEntry("gw2", List.of("198.18.17.22"), NodeRole.SECONDARY, 90));
    }

    @Test
    void upsertShouldRewriteABlockStyleNodesListThroughTheTreeAndStayValid() throws Exception {
        String block = DOCUMENT.replace("  - {id: gw1, addresses: [198.18.17.1], role: primary, priority: 150}   # the first node",
            "  - id: gw1\n    addresses: [198.18.17.1]\n    role: primary\n    priority: 150");

        String updated = NodeEntryLine.upsert(block, new NodeEntry("gw2", List.of("198.18.17.2"), NodeRole.SECONDARY, 100));

        assertThat(ConfigDocument.parse(updated).config().nodes()).extracting(NodeEntry::id).containsExactly("gw1", "gw2");
    }

    @Test
    void setupShouldRefuseJoiningOverTlsWithoutAnIdentityAndGinaWithoutTheSharedSecrets() {
        Map<String, String> join = Map.of("domains.managed", "example.org", "cluster", "join", "zk.connect", "zk1:2281",
            "zk.credentials", "/root/node.credentials");
        assertThatThrownBy(() -> new SetupAnswers(with(join, "zk.tls", "on"))).hasMessageContaining("zk.tls.identity");
        assertThatThrownBy(() -> new SetupAnswers(with(join, "gina", "on"))).hasMessageContaining("gina.credentials");
        assertThatThrownBy(() -> new SetupAnswers(with(join, "console", "on"))).hasMessageContaining("zk.admin-credentials");
        assertThatThrownBy(() -> new SetupAnswers(Map.of("domains.managed", "example.org", "cluster", "brand-new")))
            .hasMessageContaining("'standalone', 'join' or 'new'");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
