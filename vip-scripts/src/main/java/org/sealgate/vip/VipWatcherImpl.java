package org.sealgate.vip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.LocalFiles;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.watch.ConfigSnapshot;
import org.sealgate.zk.watch.ConfigWatcher;
import org.sealgate.zk.watch.ConfigWatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread does everything (render, reload, publish), so a render never races a claim write and nothing needs a
 * lock; the configuration watcher only hands snapshots to it.
 */
final class VipWatcherImpl implements VipWatcher {
    private static final Logger LOGGER = LoggerFactory.getLogger(VipWatcherImpl.class);

    private final CuratorFramework client;
    private final Id identity;
    private final String nodeId;
    private final Path out;
    private final KeepalivedOptions options;
    private final Reloader reloader;
    private final ConfigWatcher config;
    private final Duration refresh;
    private final String claimPath;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-vip-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile OptionalInt rendered = OptionalInt.empty();
    private volatile String problem;
    private volatile String address;
    private byte[] claimWritten;
    private long claimSession;

    VipWatcherImpl(CuratorFramework client, Id identity, String nodeId, Path out, KeepalivedOptions options, Reloader reloader,
                   Path lastKnownGood, Duration refresh) {
        this.client = client;
        this.identity = identity;
        this.nodeId = nodeId;
        this.out = out;
        this.options = options;
        this.reloader = reloader;
        this.refresh = refresh;
        this.config = ConfigWatchers.watch(client, lastKnownGood);
        this.claimPath = ZkLayout.child(ZkLayout.VIP, nodeId);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a VipWatcher starts once; this one is " + state.get());
        }
        config.listenable().addListener(snapshot -> worker.execute(() -> render(snapshot)), worker);
        config.start();
        // The last-known-good copy is in force at once: render it now rather than wait for ZooKeeper.
        config.current().ifPresent(snapshot -> worker.execute(() -> render(snapshot)));
        worker.scheduleWithFixedDelay(this::publish, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public OptionalInt renderedVersion() {
        return rendered;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            config.close();
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Renders a snapshot; writes and reloads only when the text changed (most versions change other settings). */
    private void render(ConfigSnapshot snapshot) {
        if (state.get() != State.STARTED) {
            return;
        }
        try {
            String text = KeepalivedConfig.render(snapshot.config(), nodeId, snapshot.version(), options);
            address = snapshot.config().vip().address();
            Optional<String> noStateDirectory = ensureStateDirectory();
            if (sameVipSection(text)) {
                LOGGER.info("Configuration version {} changes nothing in {}", snapshot.version(), out);
            } else {
                LocalFiles.writeOwnerOnlyAtomically(out, text.getBytes(StandardCharsets.UTF_8));
                // The file's content is never logged: it may hold the VRRP password.
                LOGGER.info("Rendered configuration version {} to {}; {}", snapshot.version(), out, reloader.reload());
            }
            rendered = OptionalInt.of(snapshot.version());
            problem = null;
            noStateDirectory.ifPresent(this::problem);
        } catch (RuntimeException | IOException e) {
            problem("cannot render configuration version " + snapshot.version() + " to " + out + ": " + e.getMessage()
                + "; keepalived keeps its previous configuration");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * keepalived makes its notify FIFO in the state directory when it starts, and records no VRRP state at all when
     * the directory is missing. The appliance's tmpfiles.d makes it (root:sealgate); elsewhere this does, if it can.
     */
    private Optional<String> ensureStateDirectory() {
        if (Files.isDirectory(options.state())) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(options.state(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot create the VRRP state directory " + options.state() + " (" + e
                + "); keepalived records no VRRP state until it exists");
        }
    }

    /** True when the file holds the same text apart from the header, which names the version. */
    private boolean sameVipSection(String text) throws IOException {
        if (!Files.exists(out)) {
            return false;
        }
        return body(Files.readString(out, StandardCharsets.UTF_8)).equals(body(text));
    }

    private static String body(String text) {
        return text.lines().filter(line -> !line.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    /** Makes {@code /vip/<node>} say what the notify script last recorded. Runs on the worker thread only. */
    private void publish() {
        if (state.get() != State.STARTED || !client.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            byte[] data = VipClaims.JSON.writeValueAsBytes(claim());
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            Stat stat = client.checkExists().forPath(claimPath);
            if (stat == null) {
                client.create().withMode(CreateMode.EPHEMERAL).withACL(new ArrayList<>(ConfigAcls.createdByNode(
                    client.getData().forPath(ZkLayout.VIP), identity, Perms.READ | Perms.WRITE))).forPath(claimPath, data);
                LOGGER.info("Publishing this node's VRRP state in ZooKeeper as {}", claimPath);
            } else if (stat.getEphemeralOwner() != session) {
                problem(claimPath + " is held by another session (an earlier 'vip watch' whose session has not"
                    + " expired yet, or another node with this id); retrying");
                return;
            } else if (session != claimSession || !Arrays.equals(data, claimWritten)) {
                client.setData().forPath(claimPath, data);
            }
            claimWritten = data;
            claimSession = session;
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} appeared meanwhile; checking again on the next tick", claimPath);
        } catch (KeeperException.NoNodeException e) {
            problem(ZkLayout.VIP + " does not exist yet; an admin write ('sealgate config apply') creates it");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            problem("cannot publish " + claimPath + ": " + e);
        }
    }

    private VipClaim claim() {
        int version = rendered.orElse(0);
        if (reloader.keepalivedRunning().orElse(true).equals(Boolean.FALSE)) {
            // Killed keepalived runs no notify script: its last MASTER must not stand.
            return new VipClaim(nodeId, VipClaim.STOPPED, null, address, version);
        }
        Optional<String[]> recorded = readState();
        return recorded.map(parts -> new VipClaim(nodeId, parts[0], parts.length > 1 ? parts[1] : null, address, version))
            .orElse(new VipClaim(nodeId, VipClaim.UNKNOWN, null, address, version));
    }

    /** The notify script's {@code STATE TIME} line. */
    private Optional<String[]> readState() {
        try {
            String line = Files.readString(options.state().resolve("state"), StandardCharsets.US_ASCII).strip();
            String[] parts = line.split(" ");
            return parts[0].matches("MASTER|BACKUP|FAULT|STOP|UNKNOWN") ? Optional.of(parts) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void problem(String message) {
        if (!message.equals(problem)) {
            LOGGER.warn("{}", message);
        }
        problem = message;
    }
}
