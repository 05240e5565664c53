package org.sealgate.zk.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.LocalFiles;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * See {@link NodeRegistration}. One scheduler thread does all ZooKeeper work ({@link #ensure()}), so creations and
 * updates never race each other; connection events and {@link #refresh()} only schedule it.
 */
final class NodeRegistrationImpl implements NodeRegistration {
    private static final Logger LOGGER = LoggerFactory.getLogger(NodeRegistrationImpl.class);

    private final CuratorFramework client;
    private final Id node;
    private final String path;
    private final Supplier<NodeStatus> status;
    private final Duration refreshInterval;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AtomicBoolean registered = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-zk-registry");
        thread.setDaemon(true);
        return thread;
    });
    // The node-local status file has its own thread: a ZooKeeper call stuck in retries (no quorum) must never
    // delay the one record of the node's state that an admin can still read then.
    private final ScheduledExecutorService localWriter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-node-status");
        thread.setDaemon(true);
        return thread;
    });
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);
    private byte[] written;
    private long writtenSession;
    private volatile String lastProblem;

    private final Optional<Path> localStatus;
    private byte[] writtenLocally;

    NodeRegistrationImpl(CuratorFramework client, Id node, String path, Supplier<NodeStatus> status, Duration refreshInterval,
                         Optional<Path> localStatus) {
        this.localStatus = localStatus;
        this.client = client;
        this.node = node;
        this.path = path;
        this.status = status;
        this.refreshInterval = refreshInterval;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a NodeRegistration starts once; this one is " + state.get());
        }
        client.getConnectionStateListenable().addListener(connectionListener);
        scheduler.scheduleWithFixedDelay(this::ensure, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (localStatus.isPresent()) {
            localWriter.scheduleWithFixedDelay(this::writeLocally, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void refresh() {
        if (state.get() == State.STARTED) {
            scheduler.execute(this::ensure);
            if (localStatus.isPresent()) {
                localWriter.execute(this::writeLocally);
            }
        }
    }

    @Override
    public boolean isRegistered() {
        return registered.get();
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionListener);
            scheduler.shutdownNow();
            localWriter.shutdownNow();
        }
    }

    private void onConnectionState(ConnectionState newState) {
        switch (newState) {
            // A new session (after LOST) has no ephemeral entry: create it again at once.
            case CONNECTED, RECONNECTED -> refresh();
            case SUSPENDED, LOST, READ_ONLY -> registered.set(false);
            default -> LOGGER.debug("Connection state {} needs nothing", newState);
        }
    }

    /** Makes our entry exist with the current status. Runs on the scheduler thread only. */
    private void ensure() {
        if (state.get() != State.STARTED) {
            return;
        }
        byte[] data;
        try {
            data = NodeRegistry.JSON.writeValueAsBytes(status.get());
        } catch (IOException | RuntimeException e) {
            problem("cannot build the node status: " + e);
            return;
        }
        if (!client.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            Stat stat = client.checkExists().forPath(path);
            if (stat == null) {
                client.create().withMode(CreateMode.EPHEMERAL).withACL(entryAcl()).forPath(path, data);
                LOGGER.info("Registered in ZooKeeper as {} (session 0x{})", path, Long.toHexString(session));
            } else if (stat.getEphemeralOwner() != session) {
                registered.set(false);
                problem(path + " is held by another session (0x" + Long.toHexString(stat.getEphemeralOwner())
                    + ": an earlier run of this node whose session has not expired yet, or another node with this id);"
                    + " retrying");
                return;
            } else if (session != writtenSession || !Arrays.equals(data, written)) {
                client.setData().forPath(path, data);
            }
            written = data;
            writtenSession = session;
            registered.set(true);
            lastProblem = null;
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} appeared meanwhile; checking again on the next tick", path);
        } catch (Exception e) {
            registered.set(false);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            problem("cannot register " + path + ": " + e);
        }
    }

    /** Writes the node-local status file when the status changed. Runs on the local writer thread only. */
    private void writeLocally() {
        if (state.get() != State.STARTED) {
            return;
        }
        byte[] data;
        try {
            data = NodeRegistry.JSON.writeValueAsBytes(status.get());
        } catch (IOException | RuntimeException e) {
            problem("cannot build the node status: " + e);
            return;
        }
        if (!Arrays.equals(data, writtenLocally)) {
            try {
                LocalFiles.writeOwnerOnlyAtomically(localStatus.get(), data);
                writtenLocally = data;
            } catch (IOException e) {
                problem("cannot write " + localStatus.get() + ": " + e);
            }
        }
    }

    private List<ACL> entryAcl() throws Exception {
        return new ArrayList<>(ConfigAcls.createdByNode(client.getData().forPath(ZkLayout.NODES), node, Perms.READ | Perms.WRITE));
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOGGER.warn("{}", message);
            lastProblem = message;
        }
    }
}
