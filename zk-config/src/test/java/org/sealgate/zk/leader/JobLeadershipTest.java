package org.sealgate.zk.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

/** Job leadership on a real ZooKeeper server: one leader, handed over when it goes, none while unsure. */
class JobLeadershipTest {
    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final Duration RECHECK = Duration.ofMillis(300);

    private TestingServer server;
    private CuratorFramework admin;
    /** How many leaderships consider themselves leader now, and the most there ever were at once. */
    private final AtomicInteger leading = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(server.getConnectString());
        new ConfigStore(admin, ZkTestSupport.ACLS, "admin").initialize();
    }

    @AfterEach
    void stopServer() throws Exception {
        admin.close();
        server.close();
    }

    @Test
    void exactlyOneShouldLeadAndTheOtherTakeOverWhenTheLeadersSessionEnds() throws Exception {
        CuratorFramework clientA = ZkTestSupport.startedNode(server.getConnectString());
        CuratorFramework clientB = ZkTestSupport.startedNode(server.getConnectString());
        try (JobLeadership a = counted(clientA, "node-a"); JobLeadership b = counted(clientB, "node-b")) {
            await().atMost(WITHIN).until(() -> a.isLeader() || b.isLeader());
            JobLeadership first = a.isLeader() ? a : b;
            JobLeadership second = first == a ? b : a;
            CuratorFramework firstClient = first == a ? clientA : clientB;
            Thread.sleep(RECHECK.toMillis() * 3); // several rechecks: the follower stays a follower
            assertThat(second.isLeader()).isFalse();

            // The leader's session ends (the process died): the follower leads, without a moment of two leaders.
            AtomicInteger bothLeading = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                for (int i = 0; i < 2_000 && !Thread.currentThread().isInterrupted(); i++) {
                    if (a.isLeader() && b.isLeader()) {
                        bothLeading.incrementAndGet();
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                firstClient.close();
                await().atMost(WITHIN).until(second::isLeader);
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            assertThat(bothLeading.get()).isZero();
            assertThat(first.isLeader()).isFalse();
        } finally {
            clientA.close();
            clientB.close();
        }
    }

    @Test
    void anExpiredSessionShouldEndLeadershipAndANewCandidateQueueBehind() throws Exception {
        CuratorFramework clientA = ZkTestSupport.startedNode(server.getConnectString());
        CuratorFramework clientB = ZkTestSupport.startedNode(server.getConnectString());
        try (JobLeadership a = counted(clientA, "node-a")) {
            await().atMost(WITHIN).until(a::isLeader);
            try (JobLeadership b = counted(clientB, "node-b")) {
                await().atMost(WITHIN).until(() -> admin.getChildren().forPath(ZkLayout.JOBS_LEADER).size() == 2);
                KillSession.kill(clientA.getZookeeperClient().getZooKeeper());
                await().atMost(WITHIN).until(b::isLeader);
                // A stands again with its new session, behind B.
                await().atMost(WITHIN).until(() -> admin.getChildren().forPath(ZkLayout.JOBS_LEADER).size() == 2);
                Thread.sleep(RECHECK.toMillis() * 3);
                assertThat(a.isLeader()).isFalse();
                // No "never two at once" here: KillSession expires the session at the server and tells the client in
                // the same instant, which a real expiry never does (the client is SUSPENDED a third of the session
                // timeout earlier); exclusivity is what the other tests measure.
            }
            // B withdrew on close: A leads again without waiting for a session to expire.
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        } finally {
            clientA.close();
            clientB.close();
        }
    }

    @Test
    void leaderShouldStopAtOnceWhenZooKeeperIsUnreachableAndLeadAgainAfter() throws Exception {
        CuratorFramework client = ZkTestSupport.startedNode(server.getConnectString());
        try (JobLeadership a = counted(client, "node-a")) {
            await().atMost(WITHIN).until(a::isLeader);
            server.stop();
            // SUSPENDED arrives within the connection's read timeout, long before the session could expire.
            await().atMost(Duration.ofSeconds(12)).until(() -> !a.isLeader());
            server.restart();
            await().atMost(WITHIN).until(a::isLeader);
        } finally {
            client.close();
        }
    }

    @Test
    void candidateNodesShouldBeReadOnlyForNodesAndStandingShouldNeedTheFolder() throws Exception {
        CuratorFramework client = ZkTestSupport.startedNode(server.getConnectString());
        try (JobLeadership a = counted(client, "node-a")) {
            await().atMost(WITHIN).until(a::isLeader);
            String child = admin.getChildren().forPath(ZkLayout.JOBS_LEADER).get(0);
            String path = ZkLayout.child(ZkLayout.JOBS_LEADER, child);
            assertThat(child).contains("c-node-a-");
            List<ACL> acl = admin.getACL().forPath(path);
            assertThat(acl).contains(new ACL(Perms.READ, ZkTestSupport.NODE.identity()));
            assertThat(acl).noneMatch(entry -> entry.getId().getScheme().equals("world"));
            assertThatThrownBy(() -> client.setData().forPath(path, new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            // Nodes cannot write elsewhere under /jobs.
            assertThatThrownBy(() -> client.create().forPath(ZkLayout.JOBS + "/other"))
                .isInstanceOf(KeeperException.NoAuthException.class);
        } finally {
            client.close();
        }
        assertThat(JobLeaderships.elect(admin, ZkTestSupport.NODE.identity(), "x").isLeader()).isFalse();
        assertThatThrownBy(() -> JobLeaderships.elect(admin, ZkTestSupport.NODE.identity(), "../evil"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobMemoryShouldRememberFactsOnceAndNodesShouldNotForgetThem() throws Exception {
        CuratorFramework client = ZkTestSupport.startedNode(server.getConnectString());
        try {
            JobMemory memory = new JobMemory(client, ZkTestSupport.NODE.identity());
            assertThat(memory.contains("abc-30d")).isFalse();
            memory.remember("abc-30d");
            memory.remember("abc-30d");
            assertThat(memory.contains("abc-30d")).isTrue();
            assertThat(new JobMemory(admin, ZkTestSupport.ADMIN.identity()).contains("abc-30d")).isTrue();
            assertThatThrownBy(() -> client.delete().forPath(ZkLayout.child(ZkLayout.JOBS_WARNED, "abc-30d")))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> memory.remember("../config")).isInstanceOf(IllegalArgumentException.class);
        } finally {
            client.close();
        }
    }

    @Test
    void aStandaloneNodeShouldLeadWhileStarted() {
        JobLeadership alone = JobLeaderships.alone();
        assertThat(alone.isLeader()).isFalse();
        alone.start();
        assertThat(alone.isLeader()).isTrue();
        alone.close();
        alone.close();
        assertThat(alone.isLeader()).isFalse();
    }

    private JobLeadership counted(CuratorFramework client, String nodeId) {
        JobLeadership leadership = JobLeaderships.elect(client, ZkTestSupport.NODE.identity(), nodeId, RECHECK);
        leadership.listenable().addListener(now -> {
            int count = now ? leading.incrementAndGet() : leading.decrementAndGet();
            mostAtOnce.accumulateAndGet(count, Math::max);
        });
        leadership.start();
        return leadership;
    }
}
