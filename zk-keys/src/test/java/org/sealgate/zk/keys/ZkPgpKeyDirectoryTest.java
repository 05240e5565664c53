package org.sealgate.zk.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OpenPGP keys in a real ZooKeeper: admins import, nodes read and only harvest, secret keys stay sealed (in ZooKeeper
 * and in a node's local copy); a node starts from its copy without ZooKeeper and writes harvests once it is back.
 */
class ZkPgpKeyDirectoryTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    static Path directory;
    static TestingServer server;
    static CuratorFramework adminClient;
    static CuratorFramework nodeClient;
    static ClusterMasterKey masterKey;
    static ZkPgpKeyDirectory admin;
    static ZkPgpKeyDirectory node;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        adminClient = ZkTestSupport.startedAdmin(server.getConnectString());
        nodeClient = ZkTestSupport.startedNode(server.getConnectString());
        new ConfigStore(adminClient, ZkTestSupport.ACLS, "admin").initialize();
        masterKey = ClusterMasterKey.create(directory.resolve("secrets/cluster-master.key"));
        admin = ZkPgpKeyDirectories.forAdmin(adminClient, Optional.of(masterKey));
        node = ZkPgpKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(), Optional.of(masterKey),
            directory.resolve("node/pgp-keys-copy.json"));
        admin.start();
        node.start();
        assertThat(admin.awaitInitialized(WITHIN)).isTrue();
        assertThat(node.awaitInitialized(WITHIN)).isTrue();
    }

    @AfterAll
    static void stopServer() throws Exception {
        node.close();
        admin.close();
        nodeClient.close();
        adminClient.close();
        server.close();
    }

    @Test
    void publicKeyImportedByAdminShouldBeUsableOnNode() throws Exception {
        OpenPGPKey carol = PgpKeys.generate("Carol <Carol@Partner.Example>", 4);
        admin.addPublicKey(carol.toCertificate(), PgpPublicKey.Source.IMPORTED);

        await(() -> node.hasUsableEncryptionKey("carol@partner.example"));
        assertThat(node.publicKeysFor("CAROL@partner.example")).singleElement()
            .satisfies(key -> assertThat(key.source()).isEqualTo(PgpPublicKey.Source.IMPORTED));
    }

    @Test
    void managedKeyShouldBeSealedInZooKeeperAndOpenOnNode() throws Exception {
        OpenPGPKey alice = PgpKeys.generate("Alice <alice@demo.sealgate.test>", 6);
        admin.addManagedKey(alice, null);
        String fingerprint = PgpKeys.fingerprint(alice);

        byte[] stored = adminClient.getData().forPath(ZkLayout.child(ZkLayout.PGP_SECRET, fingerprint));
        byte[] secretPacket = alice.getPrimarySecretKey().getPGPSecretKey().getEncoded();
        assertThat(indexOf(stored, secretPacket)).isEqualTo(-1);
        assertThat(new String(stored, StandardCharsets.US_ASCII))
            .doesNotContain(Base64.getEncoder().encodeToString(alice.getEncoded()))
            .contains("AES-256-GCM");

        await(() -> node.managedKey("alice@demo.sealgate.test").isPresent());
        PgpManagedKey opened = node.managedKey("alice@demo.sealgate.test").orElseThrow();
        assertThat(opened.fingerprint()).isEqualTo(fingerprint);
        assertThat(opened.key().getPrimarySecretKey().unlock(opened.passphrase())).isNotNull();
    }

    @Test
    void nodeWithoutMasterKeyShouldHaveNoManagedKeys() throws Exception {
        OpenPGPKey dora = PgpKeys.generate("Dora <dora@demo.sealgate.test>", 4);
        admin.addManagedKey(dora, null);
        try (ZkPgpKeyDirectory blind = ZkPgpKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(),
            Optional.empty(), directory.resolve("blind/pgp-keys-copy.json"))) {
            blind.start();
            assertThat(blind.awaitInitialized(WITHIN)).isTrue();
            assertThat(blind.managedKey("dora@demo.sealgate.test")).isEmpty();
        }
    }

    @Test
    void nodeShouldHarvestOnlyUnderHarvestedAndNeitherOverwriteNorDelete() throws Exception {
        OpenPGPKey erin = PgpKeys.generate("Erin <erin@partner.example>", 4);
        node.addPublicKey(erin.toCertificate(), PgpPublicKey.Source.HARVESTED);
        String path = ZkLayout.child(ZkLayout.PGP_HARVESTED, PgpKeys.fingerprint(erin));
        await(() -> admin.publicKeysFor("erin@partner.example").size() == 1);
        assertThat(admin.publicKeysFor("erin@partner.example").get(0).source()).isEqualTo(PgpPublicKey.Source.HARVESTED);
        assertThat(adminClient.checkExists().forPath(path)).isNotNull();

        OpenPGPKey mallory = PgpKeys.generate("Mallory <erin@partner.example>", 4);
        assertThatThrownBy(() -> node.addPublicKey(mallory.toCertificate(), PgpPublicKey.Source.IMPORTED))
            .isInstanceOf(KeyStoreException.class).matches(e -> ((KeyStoreException) e).accessDenied());
        assertThatThrownBy(() -> node.addManagedKey(mallory, null)).isInstanceOf(KeyStoreException.class);
        assertThatThrownBy(() -> nodeClient.setData().forPath(path, PgpEntries.encoded(mallory.toCertificate())))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> nodeClient.delete().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> node.remove("erin@partner.example")).isInstanceOf(KeyStoreException.class);

        assertThat(admin.remove("erin@partner.example")).isEqualTo(1);
        assertThat(adminClient.checkExists().forPath(path)).isNull();
    }

    @Test
    void secondHarvestedKeyForAnAddressShouldNotBeStoredBesideTheFirst() throws Exception {
        OpenPGPKey first = PgpKeys.generate("Gil <gil@partner.example>", 4);
        node.addPublicKey(first.toCertificate(), PgpPublicKey.Source.HARVESTED);
        await(() -> node.publicKeysFor("gil@partner.example").size() == 1);

        OpenPGPKey planted = PgpKeys.generate("Gil <GIL@partner.example>", 4);
        node.addPublicKey(planted.toCertificate(), PgpPublicKey.Source.HARVESTED);
        OpenPGPKey other = PgpKeys.generate("Hal <hal@partner.example>", 4);
        node.addPublicKey(other.toCertificate(), PgpPublicKey.Source.HARVESTED);   // written after the planted one
        await(() -> admin.publicKeysFor("hal@partner.example").size() == 1);

        assertThat(admin.publicKeysFor("gil@partner.example")).extracting(PgpPublicKey::fingerprint)
            .containsExactly(PgpKeys.fingerprint(first));
        assertThat(adminClient.checkExists().forPath(ZkLayout.child(ZkLayout.PGP_HARVESTED, PgpKeys.fingerprint(planted))))
            .isNull();
    }

    @Test
    void revokedKeyShouldNotBeUsable() throws Exception {
        OpenPGPKey frank = PgpKeys.generate("Frank <frank@partner.example>", 6);
        OpenPGPKey revoked = PgpKeys.api().editKey(frank).revokeKey().done();
        admin.addPublicKey(revoked.toCertificate(), PgpPublicKey.Source.IMPORTED);

        await(() -> node.publicKeysFor("frank@partner.example").size() == 1);
        Awaitility.await().during(Duration.ofMillis(200)).atMost(WITHIN)
            .until(() -> !node.hasUsableEncryptionKey("frank@partner.example"));
    }

    @Test
    void nodeRestartedWhileZooKeeperIsDownShouldFindItsKeysInTheLocalCopy() throws Exception {
        OpenPGPKey ivy = PgpKeys.generate("Ivy <ivy@partner.example>", 4);
        OpenPGPKey jo = PgpKeys.generate("Jo <jo@demo.sealgate.test>", 6);
        Path copy = directory.resolve("restart/pgp-keys-copy.json");
        try (TestingServer own = new TestingServer(true)) {
            try (CuratorFramework ownAdminClient = initialized(ZkTestSupport.startedAdmin(own.getConnectString()));
                 CuratorFramework ownNodeClient = ZkTestSupport.startedNode(own.getConnectString());
                 ZkPgpKeyDirectory ownAdmin = started(ZkPgpKeyDirectories.forAdmin(ownAdminClient, Optional.of(masterKey)));
                 ZkPgpKeyDirectory running = started(ZkPgpKeyDirectories.forNode(ownNodeClient,
                     ZkTestSupport.NODE.identity(), Optional.of(masterKey), copy))) {
                ownAdmin.addPublicKey(ivy.toCertificate(), PgpPublicKey.Source.IMPORTED);
                ownAdmin.addManagedKey(jo, null);
                await(() -> Files.exists(copy) && Files.readString(copy).contains(PgpKeys.fingerprint(ivy))
                    && Files.readString(copy).contains(PgpKeys.fingerprint(jo)));
                assertThat(running.describe()).startsWith("OpenPGP keys from ZooKeeper: 1 imported, 0 harvested, 1 managed");
            }
            // The node stops; the copy is its alone, and the secret key is in it only sealed.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
            Map<String, String> saved = new ObjectMapper().readValue(copy.toFile(), new TypeReference<Map<String, String>>() { });
            byte[] secretPacket = jo.getPrimarySecretKey().getPGPSecretKey().getEncoded();
            assertThat(saved).containsKey(ZkLayout.child(ZkLayout.PGP_SECRET, PgpKeys.fingerprint(jo)));
            saved.values().forEach(value -> assertThat(indexOf(Base64.getDecoder().decode(value), secretPacket)).isEqualTo(-1));
            assertThat(Files.readString(copy)).doesNotContain(Base64.getEncoder().encodeToString(jo.getEncoded()));

            own.stop();
            try (CuratorFramework unreachable = ZkClients.node(own.getConnectString(), ZkClients.DEFAULT_NAMESPACE,
                     ZkTestSupport.NODE);
                 ZkPgpKeyDirectory restarted = ZkPgpKeyDirectories.forNode(unreachable, ZkTestSupport.NODE.identity(),
                     Optional.of(masterKey), copy)) {
                unreachable.start();
                restarted.start();
                assertThat(restarted.source()).isEqualTo(ZkKeyStore.Source.LOCAL_COPY);
                assertThat(restarted.describe()).startsWith("OpenPGP keys from the local copy");
                assertThat(restarted.publicKeysFor("IVY@partner.example")).singleElement()
                    .satisfies(key -> assertThat(key.source()).isEqualTo(PgpPublicKey.Source.IMPORTED));
                assertThat(restarted.hasUsableEncryptionKey("ivy@partner.example")).isTrue();
                PgpManagedKey opened = restarted.managedKey("jo@demo.sealgate.test").orElseThrow();
                assertThat(opened.fingerprint()).isEqualTo(PgpKeys.fingerprint(jo));
                assertThat(opened.key().getPrimarySecretKey().unlock(opened.passphrase())).isNotNull();
                own.restart();   // so that the client's close does not wait for a server that never answers
            }
        }
    }

    @Test
    void keyHarvestedWhileZooKeeperIsDownShouldBeUsableAtOnceAndStoredAfterReconnecting() throws Exception {
        OpenPGPKey kim = PgpKeys.generate("Kim <kim@partner.example>", 4);
        String path = ZkLayout.child(ZkLayout.PGP_HARVESTED, PgpKeys.fingerprint(kim));
        try (TestingServer own = new TestingServer(true);
             CuratorFramework ownAdminClient = ZkTestSupport.startedAdmin(own.getConnectString());
             CuratorFramework ownNodeClient = ZkTestSupport.startedNode(own.getConnectString())) {
            new ConfigStore(ownAdminClient, ZkTestSupport.ACLS, "admin").initialize();
            try (ZkPgpKeyDirectory keys = started(ZkPgpKeyDirectories.forNode(ownNodeClient, ZkTestSupport.NODE.identity(),
                Optional.of(masterKey), directory.resolve("outage/pgp-keys-copy.json")))) {
                own.stop();
                await(() -> !ownNodeClient.getZookeeperClient().isConnected());
                keys.addPublicKey(kim.toCertificate(), PgpPublicKey.Source.HARVESTED);
                assertThat(keys.publicKeysFor("kim@partner.example")).singleElement()
                    .satisfies(key -> assertThat(key.source()).isEqualTo(PgpPublicKey.Source.HARVESTED));
                assertThat(keys.describe()).contains("1 harvested not yet stored");

                own.restart();
                await(() -> ownAdminClient.checkExists().forPath(path) != null);
                await(() -> !keys.describe().contains("not yet stored"));
                assertThat(keys.publicKeysFor("kim@partner.example")).extracting(PgpPublicKey::fingerprint)
                    .containsExactly(PgpKeys.fingerprint(kim));
                assertThatThrownBy(() -> ownNodeClient.delete().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
            }
        }
    }

    @Test
    void closeShouldBeIdempotentAndStartOnlyOnce() throws Exception {
        ZkPgpKeyDirectory keys = ZkPgpKeyDirectories.forAdmin(adminClient, Optional.of(masterKey));
        assertThat(keys.state()).isEqualTo(ZkKeyStore.State.LATENT);
        started(keys);
        assertThat(keys.state()).isEqualTo(ZkKeyStore.State.STARTED);
        assertThatThrownBy(keys::start).isInstanceOf(IllegalStateException.class);
        keys.close();
        keys.close();
        assertThat(keys.state()).isEqualTo(ZkKeyStore.State.CLOSED);
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(WITHIN).until(condition);
    }

    /** The admin client, with the configuration and key store folders created. */
    private static CuratorFramework initialized(CuratorFramework adminClient) throws Exception {
        new ConfigStore(adminClient, ZkTestSupport.ACLS, "admin").initialize();
        return adminClient;
    }

    private static ZkPgpKeyDirectory started(ZkPgpKeyDirectory keys) throws InterruptedException {
        keys.start();
        assertThat(keys.awaitInitialized(WITHIN)).isTrue();
        return keys;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
