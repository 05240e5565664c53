package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;

/**
 * The demo's cluster configuration: an embedded ZooKeeper, admin and node digest identities with random
 * passwords in {@code DATA/secrets} (owner-only files), the store initialised and, on first start, a document
 * equivalent to the demo's policy applied as version 1 (also left in {@code DATA/demo/cluster.yaml} to edit and
 * apply again). Afterwards {@code sealgate config ... --data DATA} reaches this server.
 */
final class DemoCluster {
    static final String DOCUMENT_FILE = "demo/cluster.yaml";
    static final String INITIAL_DOCUMENT = """
        # Sealgate demo cluster configuration. Change it while the demo runs:
        #   ./sealgate config apply FILE --data DIR   (show, diff FILE, history, rollback VERSION likewise)
        schema-version: 1
        domains:
          - name: %s
            sign: true                 # sign outbound mail with the sender's managed key
          - name: partner.example
            encrypt: required          # off | opportunistic (default) | required
            content-encryption: aes256-gcm
            rsa-key-transport: oaep
            unencryptable: bounce      # bounce | hold
          - name: newcomer.example     # nobody's keys known here: [secure] mail goes by GINA (web portal)
            methods: [smime, pgp, gina]
        trusted-networks: [127.0.0.1/32]
        gina: {host-name: gina.%s, port: 8443}
        vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
        nodes:
          - {id: demo, addresses: [127.0.0.1], role: primary, priority: 150}
        """.formatted(DemoSetup.DOMAIN, DemoSetup.DOMAIN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoCluster() {
    }

    /** Starts ZooKeeper and makes sure the store holds a configuration; the caller closes the server last. */
    static EmbeddedZooKeeper start(Path data) throws Exception {
        DigestCredentials admin = credentials(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE), "admin");
        DigestCredentials node = credentials(data.resolve(ClusterSettings.NODE_CREDENTIALS_FILE), "node");
        EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(data.resolve("zookeeper"));
        try {
            ClusterSettings.record(data, zooKeeper.connectString(), ClusterSettings.NODE_CREDENTIALS_FILE);
            try (AdminSession session = AdminSession.open(new ZkTarget(zooKeeper.connectString(), admin, Optional.of(node)))) {
                ConfigStore store = session.writer();
                if (store.currentVersion() == 0) {
                    Path document = data.resolve(DOCUMENT_FILE);
                    Files.createDirectories(document.getParent());
                    Files.writeString(document, INITIAL_DOCUMENT, StandardCharsets.UTF_8);
                    store.apply(INITIAL_DOCUMENT, 0);
                    System.out.println("First start: cluster configuration version 1 applied from " + document);
                }
            }
            return zooKeeper;
        } catch (Exception e) {
            zooKeeper.close();
            throw e;
        }
    }

    /** Reads the identity's file, creating it with a random password first if it is missing. */
    static DigestCredentials credentials(Path file, String user) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            byte[] secret = new byte[24];
            RANDOM.nextBytes(secret);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, user + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n",
                StandardCharsets.UTF_8);
        }
        return DigestCredentials.fromFile(file);
    }
}
