package org.sealgate.zk.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.listen.Listenable;
import org.apache.curator.framework.listen.StandardListenerManager;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper election recipe (ephemeral sequential candidates named {@code _c_<uuid>-c-<node id>-<sequence>},
 * the lowest sequence leads, each watches its predecessor),
 * written out instead of Curator's LeaderLatch so that the candidate node carries our ACL (admins ALL, nodes READ):
 * LeaderLatch creates with the client's default ACL, which for the node client is world-writable.
 * One scheduler thread does all ZooKeeper work ({@link #check()}); connection events and watches only schedule it,
 * except that losing leadership is applied at once on the thread that learns of it (see {@link #onConnectionState}).
 */
final class JobLeadershipImpl implements JobLeadership {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobLeadershipImpl.class);
    private static final int SEQUENCE_DIGITS = 10;

    private final CuratorFramework client;
    private final Id node;
    private final String prefix;
    private final Duration recheck;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AtomicBoolean leader = new AtomicBoolean();
    /** False from SUSPENDED/LOST/READ_ONLY until CONNECTED/RECONNECTED: no check() finishing late may lead then. */
    private boolean connectionTrusted = true;
    private final StandardListenerManager<LeadershipListener> listeners = StandardListenerManager.standard();
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-job-leadership");
        thread.setDaemon(true);
        return thread;
    });
    /** Our candidate node and the session that owns it; only the scheduler thread changes them. */
    private String candidate;
    private long candidateSession;
    private volatile String lastProblem;

    JobLeadershipImpl(CuratorFramework client, Id node, String nodeId, Duration recheck) {
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("node id unusable in a znode name: " + nodeId);
        }
        this.client = client;
        this.node = node;
        this.prefix = "c-" + nodeId + "-";
        this.recheck = recheck;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a JobLeadership starts once; this one is " + state.get());
        }
        client.getConnectionStateListenable().addListener(connectionListener);
        scheduler.scheduleWithFixedDelay(this::check, 0, recheck.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isLeader() {
        // The connection too: a client closed under us sends no state change, yet its session (and candidate) is gone.
        return leader.get() && state.get() == State.STARTED
            && client.getState() == CuratorFrameworkState.STARTED && client.getZookeeperClient().isConnected();
    }

    @Override
    public Listenable<LeadershipListener> listenable() {
        return listeners;
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        setLeader(false, "closed");
        // Withdraw on the scheduler thread (it owns the candidate), bounded: a dead ZooKeeper must not hold a shutdown.
        try {
            scheduler.submit(this::withdraw).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOGGER.debug("Withdrawing the job candidacy did not finish: {}", e.toString());
        }
        scheduler.shutdownNow();
        listeners.clear();
    }

    /** Each state on purpose: leadership ends the moment we cannot be sure ZooKeeper still holds our candidate. */
    private void onConnectionState(ConnectionState newState) {
        switch (newState) {
            // SUSPENDED comes at two thirds of the session timeout without an answer, before ZooKeeper can expire the
            // session and let another candidate lead; so we stop first.
            case SUSPENDED -> distrust("connection to ZooKeeper suspended");
            // The session is gone and our candidate with it; a new one is made when we are connected again.
            case LOST -> distrust("ZooKeeper session lost");
            // No quorum behind a read-only server: another partition may have elected a leader.
            case READ_ONLY -> distrust("connected to a read-only ZooKeeper server");
            // Same session (candidate kept) or a new one (candidate gone): check() tells which.
            case CONNECTED, RECONNECTED -> {
                synchronized (this) {
                    connectionTrusted = true;
                }
                schedule();
            }
            default -> LOGGER.debug("Connection state {} needs nothing", newState);
        }
    }

    private synchronized void distrust(String why) {
        connectionTrusted = false;
        setLeader(false, why);
    }

    private void schedule() {
        if (state.get() == State.STARTED) {
            try {
                scheduler.execute(this::check);
            } catch (RejectedExecutionException e) {
                LOGGER.debug("Leadership closed meanwhile");
            }
        }
    }

    /** Makes sure we are a candidate, then leads if first in line, else watches the one before us. */
    private void check() {
        if (state.get() != State.STARTED) {
            return;
        }
        if (!client.getZookeeperClient().isConnected()) {
            setLeader(false, "not connected to ZooKeeper");
            return;
        }
        try {
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            if (!candidateAlive(session)) {
                // Protected: if the connection drops after ZooKeeper created the node but before we heard, the retry
                // finds it by its UUID prefix instead of creating a second candidate that would block the line.
                candidate = client.create().withProtection().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).withACL(candidateAcl())
                    .forPath(ZkLayout.child(ZkLayout.JOBS_LEADER, prefix), new byte[0]);
                candidateSession = session;
                LOGGER.info("Standing for job leadership as {}", candidate);
            }
            List<String> line = inLine();
            String ours = candidate.substring(candidate.lastIndexOf('/') + 1);
            int place = line.indexOf(ours);
            if (place < 0) {
                candidate = null; // deleted under us (an admin); stand again on the next check
                setLeader(false, "our candidate node disappeared");
                schedule();
                return;
            }
            if (place == 0) {
                setLeader(true, "first in line");
            } else {
                setLeader(false, "after " + line.get(place - 1));
                watchPredecessor(ZkLayout.child(ZkLayout.JOBS_LEADER, line.get(place - 1)));
            }
            lastProblem = null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            setLeader(false, "cannot check the election");
            problem("cannot stand for job leadership under " + ZkLayout.JOBS_LEADER + ": " + e
                + (e instanceof KeeperException.NoNodeException ? " (the folder is made by an admin write, e.g."
                + " 'sealgate config apply')" : ""));
        }
    }

    private boolean candidateAlive(long session) throws Exception {
        if (candidate == null || candidateSession != session) {
            return false;
        }
        Stat stat = client.checkExists().forPath(candidate);
        return stat != null && stat.getEphemeralOwner() == session;
    }

    /** Candidates by sequence number (the name's last ten digits), ours among them. */
    private List<String> inLine() throws Exception {
        List<String> children = new ArrayList<>(client.getChildren().forPath(ZkLayout.JOBS_LEADER));
        children.removeIf(name -> name.length() <= SEQUENCE_DIGITS || !name.contains("c-")
            || !name.substring(name.length() - SEQUENCE_DIGITS).chars().allMatch(Character::isDigit));
        children.sort(Comparator.comparing(name -> name.substring(name.length() - SEQUENCE_DIGITS)));
        return children;
    }

    private void watchPredecessor(String predecessor) throws Exception {
        Watcher watcher = (WatchedEvent event) -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                schedule();
            }
        };
        if (client.checkExists().usingWatcher(watcher).forPath(predecessor) == null) {
            schedule(); // gone between listing and watching
        }
    }

    private List<org.apache.zookeeper.data.ACL> candidateAcl() throws Exception {
        return new ArrayList<>(ConfigAcls.createdByNode(client.getData().forPath(ZkLayout.JOBS_LEADER), node, Perms.READ));
    }

    private void withdraw() {
        String ours = candidate;
        candidate = null;
        if (ours != null && client.getZookeeperClient().isConnected()) {
            try {
                client.delete().quietly().forPath(ours);
                LOGGER.info("Withdrew from job leadership ({})", ours);
            } catch (Exception e) {
                LOGGER.debug("Cannot delete {}: {}; it goes with the session", ours, e.toString());
            }
        }
    }

    /** Synchronized with {@link #distrust}: a check that read the election before a suspension cannot lead after it. */
    private synchronized void setLeader(boolean now, String why) {
        if (now && (!connectionTrusted || state.get() != State.STARTED)) {
            return;
        }
        if (leader.compareAndSet(!now, now)) {
            LOGGER.info(now ? "Leading the cluster's scheduled jobs ({})" : "Not leading the scheduled jobs any more ({})", why);
            listeners.forEach(listener -> listener.leadershipChanged(now));
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOGGER.warn("{}", message);
            lastProblem = message;
        }
    }
}
