package org.sealgate.zk.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

/** OpenPGP keys in a real ZooKeeper: admins import, nodes read and only harvest, secret keys stay sealed. */
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

        await(() -> node.publicKeysFor("frank@partner.example").size() == 1 || !node.publicKeys().isEmpty());
        TimeUnit.MILLISECONDS.sleep(200);
        assertThat(node.hasUsableEncryptionKey("frank@partner.example")).isFalse();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WITHIN).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
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
