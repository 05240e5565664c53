package org.sealgate.zk.config;

/** Configuration documents for tests. */
public final class Documents {

    private Documents() {
    }

    /** A valid two-node document; the encryption mode of example.com varies so versions differ. */
    public static String valid(String exampleEncrypt) {
        return """
            # Sealgate cluster configuration
            schema-version: 1
            domains:
              - name: example.com
                encrypt: %s
                sign: true
                content-encryption: aes256-gcm
                rsa-key-transport: oaep
                unencryptable: bounce
                tls: required
              - name: legacy.example
                content-encryption: aes256-cbc
                rsa-key-transport: pkcs1
                unencryptable: hold
            trusted-networks: [10.0.0.0/8, 192.168.1.0/24, "fd00::/8"]
            next-hop: mail.internal.example:25
            gina:
              host-name: gina.example.com
              port: 8443
            vip:
              address: 198.18.0.100
              interface: eth0
              virtual-router-id: 51
            nodes:
              - id: node-a
                addresses: [198.18.0.9]
                role: primary
                priority: 150
              - id: node-b
                addresses: [198.18.0.10]
                role: secondary
                priority: 100
            """.formatted(exampleEncrypt);
    }

    public static String valid() {
        return valid("opportunistic");
    }
}
