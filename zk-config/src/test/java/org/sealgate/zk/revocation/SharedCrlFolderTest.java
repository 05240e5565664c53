package org.sealgate.zk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.revocation.CrlCache;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationCheckers;
import org.sealgate.revocation.RevocationSettings;
import org.sealgate.revocation.RevocationStatus;
import org.sealgate.revocation.RevocationTransport;
import org.sealgate.testing.CrlServer;
import org.sealgate.testing.MutableClock;
import org.sealgate.testing.RevocationPki;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * Two nodes' CRL caches sharing {@code /revocation/crls} on a real ZooKeeper server, a real CRL distribution point
 * on loopback counting its requests: the leader's refresh reaches the other node without it fetching; what is
 * planted in the folder is checked like a fetched CRL and can never un-revoke.
 */
class SharedCrlFolderTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final RevocationSettings SETTINGS = RevocationSettings.defaults().withTimeout(Duration.ofSeconds(3));
    private static RevocationPki ca;
    private static RevocationPki otherCa;

    private TestingServer zooKeeper;
    private CuratorFramework admin;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private CrlServer crls;
    private IssuedIdentity partner;
    private Instant start;

    @BeforeAll
    static void pki() {
        ca = RevocationPki.newCa("Partner CA");
        otherCa = RevocationPki.newCa("Partner CA"); // same name, other key: a forger's CA
    }

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(zooKeeper.getConnectString());
        new ConfigStore(admin, ZkTestSupport.ACLS, "admin").initialize();
        crls = new CrlServer();
        partner = ca.issue("carol@partner.example", List.of(crls.uri()), List.of());
        start = Instant.now();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        crls.close();
        admin.close();
        zooKeeper.close();
    }

    /** One node: its own ZooKeeper client (the node identity), its shared folder, its CRL cache and clock. */
    private final class Node {
        final CuratorFramework client;
        final SharedCrlFolder folder;
        final MutableClock clock = new MutableClock(start);
        final CrlCache cache;
        final RevocationChecker checker;

        Node(int maxSharedBytes) throws Exception {
            client = ZkTestSupport.startedNode(zooKeeper.getConnectString());
            opened.add(client);
            folder = new SharedCrlFolderImpl(client, ZkTestSupport.NODE.identity(), maxSharedBytes);
            opened.add(folder);
            folder.start();
            cache = new CrlCache(SETTINGS, clock, folder, RevocationTransport.direct());
            checker = RevocationCheckers.live(SETTINGS, List::of, clock, cache, RevocationTransport.direct());
        }

        Node() throws Exception {
            this(SharedCrlFolders.MAX_SHARED_BYTES);
        }

        RevocationStatus check(X509Certificate certificate) {
            return checker.check(certificate, List.of(ca.certificate()));
        }
    }

    private byte[] crl(RevocationPki issuer, List<X509Certificate> revoked, Duration thisUpdateAgo, Duration validFor) {
        return RevocationPki.der(issuer.crl(revoked, start.minus(thisUpdateAgo), start.plus(validFor)));
    }

    private static void awaitShared(Node node, URI uri, byte[] der) {
        await().atMost(WITHIN).until(() -> node.folder.latest(uri).map(b -> java.util.Arrays.equals(b, der)).orElse(false));
    }

    @Test
    void aNodeMissingACrlShouldAdoptTheSharedOneInsteadOfFetchingIt() throws Exception {
        Node leader = new Node();
        Node other = new Node();
        byte[] current = crl(ca, List.of(partner.certificate()), Duration.ofMinutes(1), Duration.ofHours(10));
        crls.serve(current);

        assertThat(leader.check(partner.certificate()).isRevoked()).isTrue();
        awaitShared(other, crls.uri(), current);
        RevocationStatus status = other.check(partner.certificate());

        assertThat(status.isRevoked()).as(status.toString()).isTrue();
        assertThat(crls.requests()).as("only the first node fetched").isEqualTo(1);
    }

    @Test
    void theOtherNodeShouldSeeARevocationWithinOneRefreshOfTheLeaderWithoutFetching() throws Exception {
        Node leader = new Node();
        Node other = new Node();
        crls.serve(crl(ca, List.of(), Duration.ofMinutes(1), Duration.ofHours(10)));
        assertThat(leader.check(partner.certificate()).isGood()).isTrue();
        assertThat(other.check(partner.certificate()).isGood()).isTrue();
        int before = crls.requests();

        // The CA revokes; the leader's refresh job comes when the CRL is due (its clock); the other node's is not due.
        byte[] revoking = crl(ca, List.of(partner.certificate()), Duration.ZERO, Duration.ofHours(20));
        crls.serve(revoking);
        leader.clock.advance(Duration.ofHours(9).plusMinutes(30));
        assertThat(leader.checker.refreshDue()).isEqualTo(1);

        await().atMost(WITHIN).until(() -> other.check(partner.certificate()).isRevoked());
        assertThat(crls.requests()).as("one fetch, by the leader").isEqualTo(before + 1);
        assertThat(other.check(partner.certificate()).detail()).contains("listed in the CRL from " + crls.uri());
    }

    @Test
    void theLeaderShouldKeepCurrentACrlOnlyAnotherNodeUses() throws Exception {
        Node leader = new Node();
        Node other = new Node();
        crls.serve(crl(ca, List.of(), Duration.ofMinutes(1), Duration.ofHours(10)));
        assertThat(other.check(partner.certificate()).isGood()).isTrue(); // the leader never checks this partner
        await().atMost(WITHIN).until(() -> leader.folder.latest(crls.uri()).isPresent());

        crls.serve(crl(ca, List.of(partner.certificate()), Duration.ZERO, Duration.ofHours(20)));
        leader.clock.advance(Duration.ofHours(9).plusMinutes(30));
        await().atMost(WITHIN).until(() -> leader.checker.refreshDue() == 1);

        await().atMost(WITHIN).until(() -> other.check(partner.certificate()).isRevoked());
        assertThat(crls.requests()).as("the other node's fetch, then the leader's").isEqualTo(2);
    }

    @Test
    void aLeaderStartedAfterTheCrlWasSharedShouldStillKeepItCurrent() throws Exception {
        Node other = new Node();
        crls.serve(crl(ca, List.of(), Duration.ofMinutes(1), Duration.ofHours(10)));
        assertThat(other.check(partner.certificate()).isGood()).isTrue();
        await().atMost(WITHIN).until(() -> other.folder.latest(crls.uri()).isPresent());

        // The leader's folder has read the entry before its CRL cache listens (as on a node restart).
        CuratorFramework client = ZkTestSupport.startedNode(zooKeeper.getConnectString());
        opened.add(client);
        SharedCrlFolder folder = SharedCrlFolders.watch(client, ZkTestSupport.NODE.identity());
        opened.add(folder);
        folder.start();
        await().atMost(WITHIN).until(() -> folder.latest(crls.uri()).isPresent());
        MutableClock clock = new MutableClock(start.plus(Duration.ofHours(9).plusMinutes(30)));
        RevocationChecker leader = RevocationCheckers.live(SETTINGS, List::of, clock, folder, RevocationTransport.direct());
        crls.serve(crl(ca, List.of(partner.certificate()), Duration.ZERO, Duration.ofHours(20)));

        assertThat(leader.refreshDue()).isEqualTo(1);
        await().atMost(WITHIN).until(() -> other.check(partner.certificate()).isRevoked());
    }

    @Test
    void aCrlPlantedInTheSharedFolderSignedByAnotherCaShouldBeRefusedWithAReasonAndNotUnrevoke() throws Exception {
        Node node = new Node();
        crls.serve(crl(ca, List.of(partner.certificate()), Duration.ofMinutes(1), Duration.ofHours(10)));
        assertThat(node.check(partner.certificate()).isRevoked()).isTrue();

        // Someone with the node identity plants a newer CRL without the partner, signed by a forger's CA of the same name.
        byte[] forged = crl(otherCa, List.of(), Duration.ZERO, Duration.ofHours(20));
        plant(crls.uri(), forged);

        await().atMost(WITHIN).until(() -> node.cache.lastRefusal(crls.uri()).isPresent());
        assertThat(node.cache.lastRefusal(crls.uri()).get()).contains("shared CRL refused").contains("signature does not verify");
        assertThat(node.check(partner.certificate()).isRevoked()).as("never un-revoked").isTrue();

        // A node that holds no CRL yet refuses the planted one too, fetches the real one and shares it over the forgery.
        Node fresh = new Node();
        awaitShared(fresh, crls.uri(), forged);
        RevocationStatus status = fresh.check(partner.certificate());
        assertThat(status.isRevoked()).as(status.toString()).isTrue();
        assertThat(fresh.cache.lastRefusal(crls.uri())).isEmpty();
        assertThat(crls.requests()).isEqualTo(2);
        await().atMost(WITHIN).until(() -> !java.util.Arrays.equals(node.folder.latest(crls.uri()).orElseThrow(), forged));
    }

    @Test
    void anOlderCrlPlantedInTheSharedFolderShouldBeRefusedAsAReplay() throws Exception {
        Node node = new Node();
        byte[] older = crl(ca, List.of(), Duration.ofHours(2), Duration.ofHours(10)); // still fresh, but older
        crls.serve(crl(ca, List.of(partner.certificate()), Duration.ofMinutes(1), Duration.ofHours(10)));
        assertThat(node.check(partner.certificate()).isRevoked()).isTrue();

        plant(crls.uri(), older);

        await().atMost(WITHIN).until(() -> node.cache.lastRefusal(crls.uri()).isPresent());
        assertThat(node.cache.lastRefusal(crls.uri()).get()).contains("older than the one held").contains("replay");
        assertThat(node.check(partner.certificate()).isRevoked()).as("never un-revoked").isTrue();
        assertThat(crls.requests()).isEqualTo(1);
    }

    @Test
    void aCrlTooLargeForZooKeeperShouldNotBeSharedAndEachNodeFetchesItself() throws Exception {
        byte[] current = crl(ca, List.of(partner.certificate()), Duration.ofMinutes(1), Duration.ofHours(10));
        Node small = new Node(current.length); // the entry (URI + newline + CRL) is larger than this
        Node other = new Node(current.length);
        crls.serve(current);

        assertThat(small.check(partner.certificate()).isRevoked()).isTrue();
        assertThat(other.check(partner.certificate()).isRevoked()).isTrue();

        assertThat(crls.requests()).as("each fetched itself").isEqualTo(2);
        assertThat(admin.getChildren().forPath(org.sealgate.zk.store.ZkLayout.REVOCATION_CRLS)).isEmpty();
    }

    @Test
    void aSharedEntryShouldBeReplaceableByNodesAndDeletableOnlyByAdmins() throws Exception {
        Node node = new Node();
        byte[] current = crl(ca, List.of(), Duration.ofMinutes(1), Duration.ofHours(10));
        crls.serve(current);
        assertThat(node.check(partner.certificate()).isGood()).isTrue();
        awaitShared(node, crls.uri(), current);
        String path = SharedCrlFolderImpl.path(crls.uri());

        List<ACL> acl = admin.getACL().forPath(path);
        assertThat(acl).anySatisfy(a -> {
            assertThat(a.getId()).isEqualTo(ZkTestSupport.NODE.identity());
            assertThat(a.getPerms()).isEqualTo(Perms.READ | Perms.WRITE);
        });
        assertThatThrownBy(() -> node.client.delete().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> node.client.create().forPath(org.sealgate.zk.store.ZkLayout.REVOCATION + "/other"))
            .isInstanceOf(KeeperException.NoAuthException.class);
        admin.delete().forPath(path);
    }

    /** What an attacker holding the node identity (or a compromised node) can do: write any bytes as the entry. */
    private void plant(URI uri, byte[] der) throws Exception {
        Node attacker = new Node();
        await().atMost(WITHIN).until(() -> attacker.folder.latest(uri).isPresent()); // the honest node's entry
        attacker.client.setData().forPath(SharedCrlFolderImpl.path(uri), SharedCrlFolderImpl.encode(uri, der));
    }
}
