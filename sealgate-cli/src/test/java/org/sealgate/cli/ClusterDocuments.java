package org.sealgate.cli;

/** Cluster configuration documents for the CLI and node tests. */
public final class ClusterDocuments {

    private ClusterDocuments() {
    }

    /** One node, the managed demo domain, and partner.example with the given encryption mode. */
    public static String withPartner(String partnerEncrypt) {
        return """
            # Sealgate cluster configuration (test)
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: partner.example
                encrypt: %s
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - id: node-a
                addresses: [127.0.0.1]
                role: primary
                priority: 150
            """.formatted(partnerEncrypt);
    }

    /**
     * Two nodes (node-a primary, node-b secondary), the managed demo domain, and {@code domain} requiring encryption
     * with keys found by the one discovery {@code source} (wkd, hkp, ldap).
     */
    public static String twoNodesDiscovering(String domain, String source) {
        return """
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: %s
                encrypt: required
                key-discovery: [%s]
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - id: node-a
                addresses: [127.0.0.1]
                role: primary
                priority: 150
              - id: node-b
                addresses: [127.0.0.1]
                role: secondary
                priority: 100
            """.formatted(domain, source);
    }
}
