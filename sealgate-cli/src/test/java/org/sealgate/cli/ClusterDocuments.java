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
}
