package org.sealgate.gina.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.gina.account.LoginResult.Outcome;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

class ZkAccountStoreTest {
    private static final DigestCredentials GINA = new DigestCredentials("gina", "gina-secret");
    private static final String CAROL = "carol@partner.example";
    private TestingServer server;
    private CuratorFramework nodeA;
    private CuratorFramework nodeB;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        nodeA = started(ZkClients.node(server.getConnectString(), ZkClients.DEFAULT_NAMESPACE, GINA));
        nodeB = started(ZkClients.node(server.getConnectString(), ZkClients.DEFAULT_NAMESPACE, GINA));
    }

    @AfterEach
    void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        server.close();
    }

    @Test
    void accountCreatedThroughOneNodeShouldBeUsableThroughAnother() throws Exception {
        GinaAccounts onA = accounts(nodeA);
        GinaAccounts onB = accounts(nodeB);

        String firstPassword = onA.ensureAccount(CAROL).firstPassword().orElseThrow();
        onB.register(CAROL, firstPassword, "my own long password", Recovery.NONE);

        assertThat(onA.login(CAROL, "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(onB.ensureAccount(CAROL).created()).isFalse();
    }

    @Test
    void updateShouldRefuseAStaleVersion() throws Exception {
        AccountStore a = AccountStores.zooKeeper(nodeA, AccountStores.creatorOnly());
        AccountStore b = AccountStores.zooKeeper(nodeB, AccountStores.creatorOnly());
        Instant now = Instant.now();
        a.create(new GinaAccount(CAROL, AccountState.ACTIVE, "h", 0, Optional.empty(), 0, Optional.empty(),
            Optional.empty(), Optional.empty(), now, now, Optional.empty()));
        StoredAccount readByA = a.find(CAROL).orElseThrow();
        StoredAccount readByB = b.find(CAROL).orElseThrow();

        b.update(readByB, readByB.account().withNextSessionGeneration(now));

        assertThatThrownBy(() -> a.update(readByA, readByA.account().withFailures(3, Optional.empty(), now)))
            .isInstanceOf(AccountConflictException.class);
        assertThat(a.find(CAROL).orElseThrow().account().sessionGeneration()).isEqualTo(1);
        assertThat(a.find(CAROL).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void accountsShouldBeUnreadableWithoutTheGinaIdentity() throws Exception {
        accounts(nodeA).ensureAccount(CAROL);
        DigestCredentials stranger = new DigestCredentials("stranger", "x");
        try (CuratorFramework other = started(CuratorFrameworkFactory.builder().connectString(server.getConnectString())
            .namespace(ZkClients.DEFAULT_NAMESPACE).authorization("digest", stranger.authBytes())
            .retryPolicy(new RetryOneTime(100)).build())) {
            AccountStore store = AccountStores.zooKeeper(other, AccountStores.creatorOnly());

            assertThatThrownBy(() -> store.find(CAROL)).isInstanceOf(AccountStoreException.class)
                .hasMessageContaining("lacks permission");
        }
    }

    @Test
    void preparedNamespaceShouldLetOnlyTheGinaIdentityWorkWithAccounts() throws Exception {
        DigestCredentials admin = new DigestCredentials("admin", "admin-secret");
        DigestCredentials node = new DigestCredentials("node", "node-secret");
        java.util.List<org.apache.zookeeper.data.ACL> configAcls =
            org.sealgate.zk.store.ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity());
        String namespace = "locked";
        try (CuratorFramework adminClient = started(ZkClients.admin(server.getConnectString(), namespace, admin, configAcls));
             CuratorFramework gina = started(ZkClients.node(server.getConnectString(), namespace, GINA));
             CuratorFramework nodeClient = started(ZkClients.node(server.getConnectString(), namespace, node))) {
            adminClient.create().forPath("/config");   // the namespace node now exists, admin-only
            assertThatThrownBy(() -> accounts(gina).ensureAccount(CAROL)).isInstanceOf(AccountStoreException.class);

            AccountStores.prepare(adminClient, admin.identity(), GINA.identity());
            AccountStores.prepare(adminClient, admin.identity(), GINA.identity());   // idempotent

            assertThat(accounts(gina).ensureAccount(CAROL).created()).isTrue();
            assertThatThrownBy(() -> AccountStores.zooKeeper(nodeClient, AccountStores.creatorOnly()).find(CAROL))
                .isInstanceOf(AccountStoreException.class).hasMessageContaining("lacks permission");
        }
    }

    @Test
    void limitsShouldBeSharedByEveryNodeThroughZooKeeper() throws Exception {
        GinaAccounts onA = sharedLimits(nodeA);
        GinaAccounts onB = sharedLimits(nodeB);
        String first = onA.ensureAccount(CAROL).firstPassword().orElseThrow();
        onA.register(CAROL, first, "my own long password", Recovery.NONE);

        for (int i = 0; i < 5; i++) {
            assertThat(onA.login(CAROL, "203.0.113.9", "guess " + i).outcome()).isEqualTo(Outcome.INVALID);
        }
        assertThat(onB.login(CAROL, "203.0.113.9", "my own long password").outcome()).isEqualTo(Outcome.TEMPORARILY_LOCKED);
        assertThat(onB.login(CAROL, "198.51.100.7", "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);

        assertThat(onA.resetBySender(CAROL, java.time.Duration.ofMinutes(10))).isPresent();
        assertThat(onB.resetBySender(CAROL, java.time.Duration.ofMinutes(10))).isEmpty();
        assertThat(nodeA.getChildren().forPath(org.sealgate.gina.throttle.Throttle.LOGIN_PATH)).allMatch(n -> n.matches("[0-9a-f]{64}"));
        assertThat(nodeA.getChildren().forPath(org.sealgate.gina.throttle.Throttle.LOGIN_PATH)).isNotEmpty();

        // A day later the counters no longer count, and a sweep removes them from ZooKeeper.
        org.sealgate.gina.throttle.GinaLimits later = org.sealgate.gina.throttle.GinaLimits.zooKeeper(nodeB,
            AccountStores.creatorOnly(), LockoutPolicy.DEFAULT,
            java.time.Clock.offset(java.time.Clock.systemUTC(), org.sealgate.gina.throttle.Throttle.FORGET_AFTER.plusMinutes(1)));
        assertThat(later.sweep()).isGreaterThanOrEqualTo(2);
        assertThat(nodeA.getChildren().forPath(org.sealgate.gina.throttle.Throttle.LOGIN_PATH)).isEmpty();
    }

    private static GinaAccounts sharedLimits(CuratorFramework client) {
        return new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()), new PasswordHasher(1024, 1, 1),
            org.sealgate.gina.throttle.GinaLimits.zooKeeper(client, AccountStores.creatorOnly(), LockoutPolicy.DEFAULT,
                java.time.Clock.systemUTC()), GinaAccounts.FIRST_PASSWORD_LIFETIME, java.time.Clock.systemUTC());
    }

    private static GinaAccounts accounts(CuratorFramework client) {
        return new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()), new PasswordHasher(1024, 1, 1),
            LockoutPolicy.DEFAULT, java.time.Clock.systemUTC());
    }

    private static CuratorFramework started(CuratorFramework client) throws InterruptedException {
        client.start();
        if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ZooKeeper");
        }
        return client;
    }
}
