package org.sealgate.zk.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkTestSupport;

class AdminAccountsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T02:00:10Z");
    private static final PasswordHasher FAST = new PasswordHasher(1024, 1, 1);
    private TestingServer zooKeeper;
    private CuratorFramework admin;
    private CuratorFramework node;
    private KeyRing keys;
    private AdminAccounts accounts;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(zooKeeper.getConnectString());
        node = ZkTestSupport.startedNode(zooKeeper.getConnectString());
        keys = KeyRing.generate("c1");
        accounts = at(NOW);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        admin.close();
        zooKeeper.close();
    }

    private AdminAccounts at(Instant time) {
        return new AdminAccounts(admin, ZkTestSupport.ADMIN.identity(), FAST, keys, Clock.fixed(time, ZoneOffset.UTC));
    }

    @Test
    void loginShouldNeedThePasswordAndTheCurrentTotpCode() throws Exception {
        AdminAccounts.Enrollment enrollment = accounts.create("ops", "correct horse battery");
        byte[] secret = Totp.fromBase32(enrollment.secretBase32());
        String code = Totp.code(secret, Totp.step(NOW));

        assertThat(accounts.login("ops", "wrong password!!", code)).isEqualTo(AdminAccounts.Outcome.WRONG_PASSWORD);
        assertThat(accounts.login("ops", "correct horse battery", "000000".equals(code) ? "111111" : "000000"))
            .isEqualTo(AdminAccounts.Outcome.WRONG_CODE);
        assertThat(accounts.login("ops", "correct horse battery", "")).isEqualTo(AdminAccounts.Outcome.WRONG_CODE);
        assertThat(accounts.login("nobody", "correct horse battery", code)).isEqualTo(AdminAccounts.Outcome.UNKNOWN_ADMIN);
        assertThat(accounts.login("ops", "correct horse battery", code)).isEqualTo(AdminAccounts.Outcome.ACCEPTED);
    }

    @Test
    void aTotpCodeShouldBeAcceptedOnlyOnceAndNoOlderStepAfterIt() throws Exception {
        byte[] secret = Totp.fromBase32(accounts.create("ops", "correct horse battery").secretBase32());
        long step = Totp.step(NOW);
        assertThat(accounts.login("ops", "correct horse battery", Totp.code(secret, step))).isEqualTo(AdminAccounts.Outcome.ACCEPTED);
        assertThat(accounts.login("ops", "correct horse battery", Totp.code(secret, step)))
            .isEqualTo(AdminAccounts.Outcome.REPLAYED_CODE);
        // the previous step is still inside the ±1 window, but older than the one used
        assertThat(accounts.login("ops", "correct horse battery", Totp.code(secret, step - 1)))
            .isEqualTo(AdminAccounts.Outcome.REPLAYED_CODE);
        // a second console (another instance, same ZooKeeper) refuses it too
        assertThat(at(NOW.plusSeconds(20)).login("ops", "correct horse battery", Totp.code(secret, step)))
            .isEqualTo(AdminAccounts.Outcome.REPLAYED_CODE);
        assertThat(at(NOW.plusSeconds(30)).login("ops", "correct horse battery", Totp.code(secret, step + 1)))
            .isEqualTo(AdminAccounts.Outcome.ACCEPTED);
    }

    @Test
    void accountsShouldBeUnreadableForTheNodeIdentityAndHoldNoSecretInClear() throws Exception {
        AdminAccounts.Enrollment enrollment = accounts.create("ops", "correct horse battery");
        assertThatThrownBy(() -> node.getData().forPath(AdminAccounts.ROOT + "/ops"))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> node.getChildren().forPath(AdminAccounts.ROOT))
            .isInstanceOf(KeeperException.NoAuthException.class);
        String stored = new String(admin.getData().forPath(AdminAccounts.ROOT + "/ops"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored).contains("$argon2id$").doesNotContain("correct horse battery")
            .doesNotContain(enrollment.secretBase32());
        // sealed under the console's key ring: another ring cannot open it
        AdminAccounts otherRing = new AdminAccounts(admin, ZkTestSupport.ADMIN.identity(), FAST, KeyRing.generate("c2"),
            Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> otherRing.login("ops", "correct horse battery", "123456"))
            .isInstanceOf(ConfigStoreException.class);
    }

    @Test
    void createShouldRefuseDuplicatesOddNamesAndShortPasswords() throws Exception {
        accounts.create("ops", "correct horse battery");
        assertThatThrownBy(() -> accounts.create("ops", "another long password")).isInstanceOf(ConfigStoreException.class)
            .hasMessageContaining("already");
        assertThatThrownBy(() -> accounts.create("../x", "another long password")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.create("alice", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(accounts.names()).containsExactly("ops");
    }
}
