package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.Optional;

import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeLayout;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;

/**
 * The demo's cluster configuration: an embedded ZooKeeper, admin and node digest identities with random
 * passwords in {@code DATA/secrets} (owner-only files), the store initialised and, on first start, a document
 * equivalent to the demo's policy applied as version 1 (also left in {@code DATA/demo/cluster.yaml} to edit and
 * apply again). The demo node keeps its keys in this ZooKeeper too: managed keys sealed under a random cluster
 * master key in {@code DATA/secrets/cluster-master.key}. ZooKeeper serves TLS only ({@link DemoTls}). Afterwards {@code sealgate config|keys|cluster ... --data
 * DATA} reach this server.
 */
final class DemoCluster {
    static final String DOCUMENT_FILE = "demo/cluster.yaml";
    static final String INITIAL_DOCUMENT = """
        # Sealgate demo cluster configuration. Change it while the demo runs:
        #   ./sealgate config apply FILE --data DIR   (show, diff FILE, history, rollback VERSION likewise)
        schema-version: 1
        domains:
          - name: "*"                  # every domain not listed below: a [secure] mail to a recipient
            methods: [smime, pgp, gina] # without keys goes by GINA (web portal)
          - name: %s
            sign: true                 # sign outbound mail with the sender's managed key
          - name: partner.example
            encrypt: required          # off | opportunistic (default) | required
            methods: [smime, pgp]      # no GINA here: without a key, mail bounces
            content-encryption: aes256-gcm
            rsa-key-transport: oaep
            unencryptable: bounce      # bounce | hold
          - name: newcomer.example     # nobody's keys known here: [secure] mail goes by GINA (web portal)
            methods: [smime, pgp, gina]
        trusted-networks: [127.0.0.1/32]
        gina: {host-name: gina.%s, port: 8443}
        vip: {address: 127.0.0.2, interface: %s, virtual-router-id: 51}   # ./sealgate vip render --node demo
        nodes:
          - {id: demo, addresses: [127.0.0.1], role: primary, priority: 150}
        """.formatted(DemoSetup.DOMAIN, DemoSetup.DOMAIN, vipInterface());
    /** What {@code FileKeyDirectory} keeps in {@code DATA/keys}. */
    private static final List<String> SMIME_KEY_FILES = List.of("certs", "ca", "crl", "private", ".store-password");

    private DemoCluster() {
    }

    /** See {@link ClusterBootstrap#vipInterface()}. */
    static String vipInterface() {
        return ClusterBootstrap.vipInterface();
    }

    /** Starts ZooKeeper and makes sure the store holds a configuration; the caller closes the server last. */
    static EmbeddedZooKeeper start(Path data) throws Exception {
        DigestCredentials admin = ClusterBootstrap.admin(data);
        DigestCredentials node = ClusterBootstrap.node(data);
        ClusterMasterKey masterKey = ClusterMasterKey.loadOrCreate(data.resolve(ClusterSettings.MASTER_KEY_FILE));
        Path pki = DemoTls.ensure(data);
        EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(data.resolve("zookeeper"), pki);
        try {
            // The demo node is "demo" in the document (its role shows in 'cluster status'); it reaches ZooKeeper
            // over TLS with its own certificate.
            ClusterSettings.set(data, ClusterSettings.CONNECT, zooKeeper.connectString(),
                ClusterSettings.CREDENTIALS, ClusterSettings.NODE_CREDENTIALS_FILE, ClusterSettings.NODE_ID, "demo");
            ClusterSettings.set(data, DemoTls.settings(data, data, DemoTls.NODE));
            try (AdminSession session = AdminSession.open(new ZkTarget(zooKeeper.connectString(), admin, Optional.of(node),
                Optional.of(DemoTls.admin(data))))) {
                ConfigStore store = session.writer();
                if (store.currentVersion() == 0) {
                    Path document = data.resolve(DOCUMENT_FILE);
                    Files.createDirectories(document.getParent());
                    Files.writeString(document, INITIAL_DOCUMENT, StandardCharsets.UTF_8);
                    store.apply(INITIAL_DOCUMENT, 0);
                    System.out.println("First start: cluster configuration version 1 applied from " + document);
                }
                moveFileKeysIntoZooKeeper(data, session, masterKey);
                moveFilePgpKeysIntoZooKeeper(data, session, masterKey);
            }
            return zooKeeper;
        } catch (Exception e) {
            zooKeeper.close();
            throw e;
        }
    }

    /**
     * The demo's S/MIME keys are made as files on first start ({@link DemoSetup}); the demo node keeps them in
     * ZooKeeper, so they move there once (private keys sealed under the master key) and their files go. Also moves
     * the keys of a demo directory made before the key store existed. Only the S/MIME folders of {@code DATA/keys}
     * are touched: anything else there (OpenPGP keys) stays where it is.
     */
    private static void moveFileKeysIntoZooKeeper(Path data, AdminSession session, ClusterMasterKey masterKey)
        throws IOException, ConfigStoreException {
        Path keysDirectory = new NodeLayout(data).keys();
        List<Path> smimeFiles = SMIME_KEY_FILES.stream().map(keysDirectory::resolve).filter(Files::exists).toList();
        if (smimeFiles.isEmpty()) {
            return;
        }
        FileKeyDirectory files = FileKeyDirectory.open(keysDirectory);
        try (ZkKeyDirectory keys = session.keys(Optional.of(masterKey))) {
            files.scopedTrustAnchors().forEach(keys::addTrustAnchor);
            files.crls().forEach(keys::addCrl);
            files.certificates().forEach(keys::addCertificate);
            files.managedIdentities().forEach(keys::addManagedIdentity);
            System.out.println("Demo S/MIME keys moved into the embedded ZooKeeper (" + files.managedIdentities().size()
                + " managed keys, sealed under " + ClusterSettings.MASTER_KEY_FILE + ")");
        }
        for (String name : SMIME_KEY_FILES) {
            Path path = keysDirectory.resolve(name);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(path)) {
                for (Path file : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * The demo's OpenPGP keys ({@code DATA/keys/pgp}, made by {@link DemoSetup}) move into ZooKeeper once like the
     * S/MIME ones: managed keys sealed under the master key with their file passphrase; then the files go.
     */
    private static void moveFilePgpKeysIntoZooKeeper(Path data, AdminSession session, ClusterMasterKey masterKey)
        throws IOException, ConfigStoreException {
        Path pgpDirectory = new NodeLayout(data).keys().resolve("pgp");
        if (!Files.exists(pgpDirectory)) {
            return;
        }
        FilePgpKeyDirectory files = FilePgpKeyDirectory.open(data);
        try (ZkPgpKeyDirectory keys = session.pgpKeys(Optional.of(masterKey))) {
            files.publicKeys().forEach(key -> keys.addPublicKey(key.certificate(), key.source()));
            for (PgpManagedKey managed : files.managedKeys()) {
                char[] passphrase = managed.passphrase().getKeyPassword(managed.key().getPrimarySecretKey());
                keys.addManagedKey(managed.key(), passphrase);
                Arrays.fill(passphrase, '\0');
            }
            System.out.println("Demo OpenPGP keys moved into the embedded ZooKeeper (" + files.managedKeys().size()
                + " managed keys, sealed under " + ClusterSettings.MASTER_KEY_FILE + ")");
        }
        try (Stream<Path> paths = Files.walk(pgpDirectory)) {
            for (Path file : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Files.deleteIfExists(data.resolve(FilePgpKeyDirectory.PASSPHRASE_FILE));
    }
}
