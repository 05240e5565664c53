package org.sealgate.zk.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator's side of the configuration in ZooKeeper: validated, atomic, versioned writes and the reads
 * behind {@code config show|diff|history}. Version n of the configuration is {@code /config} at data version n,
 * recorded as {@code /config/history/<n>}; version 0 is the empty document created by {@link #initialize()}.
 */
public final class ConfigStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfigStore.class);

    private final CuratorFramework client;
    private final List<ACL> acls;
    private final String author;

    /**
     * @param client started client of the chroot; for writes, authenticated as an admin
     * @param acls   put on every znode created here (see {@link ConfigAcls})
     * @param author recorded in the history with each version applied through this store
     */
    public ConfigStore(CuratorFramework client, List<ACL> acls, String author) {
        this.client = client;
        this.acls = List.copyOf(acls);
        this.author = author;
    }

    /**
     * Creates {@code /config} (version 0, empty), its history node, the key store's folders and the node registry
     * folder if missing; safe to repeat.
     */
    public void initialize() throws ConfigStoreException {
        for (String path : List.of(ZkLayout.CONFIG, ZkLayout.HISTORY)) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).withACL(acls, true)
                    .forPath(path, new byte[0]);
                LOGGER.info("Created {} in ZooKeeper", path);
            } catch (KeeperException.NodeExistsException e) {
                LOGGER.debug("{} exists already", path);
            } catch (Exception e) {
                throw storeException("cannot create " + path, e);
            }
        }
        StoreFolders.ensure(client, acls);
    }

    /**
     * Validates the document, then writes it as version {@code expectedVersion + 1} in one transaction: set
     * {@code /config} only if it is still at {@code expectedVersion}, and create the history entry. Either both
     * happen or neither, so two admins applying at once never leave a mixed state.
     */
    public HistoryEntry apply(String document, int expectedVersion)
        throws InvalidConfigException, ConfigConflictException, ConfigStoreException {
        return apply(document, expectedVersion, "");
    }

    /** As {@link #apply(String, int)}, with the author's note recorded in the history (at most 500 characters). */
    public HistoryEntry apply(String document, int expectedVersion, String message)
        throws InvalidConfigException, ConfigConflictException, ConfigStoreException {
        String note = message == null ? "" : message.strip();
        if (note.length() > 500) {
            throw new IllegalArgumentException("a history message has at most 500 characters");
        }
        ConfigDocument parsed = ConfigDocument.parse(document);
        byte[] bytes = parsed.bytes();
        int next = expectedVersion + 1;
        HistoryRecord record = new HistoryRecord(next, author, parsed.sha256(), parsed.text(), note);
        try {
            List<CuratorOp> operations = new ArrayList<>(List.of(
                client.transactionOp().setData().withVersion(expectedVersion).forPath(ZkLayout.CONFIG, bytes),
                client.transactionOp().create().withMode(CreateMode.PERSISTENT).withACL(acls)
                    .forPath(ZkLayout.historyPath(next), record.encode())));
            ginaSettingsOperation(new GinaSettingsNode(next, parsed.config().gina())).ifPresent(operations::add);
            client.transaction().forOperations(operations);
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            int current = currentVersion();
            throw new ConfigConflictException(expectedVersion, current, authorOf(current));
        } catch (Exception e) {
            throw storeException("cannot apply configuration version " + next, e);
        }
        LOGGER.info("Configuration version {} applied by {} ({} bytes, sha256 {})", next, author, bytes.length, parsed.sha256());
        return new HistoryEntry(next, readStat(ZkLayout.historyPath(next)).map(s -> Instant.ofEpochMilli(s.getCtime()))
            .orElse(Instant.now()), author, bytes.length, parsed.sha256(), note);
    }

    /**
     * Publishes the current document's portal settings ({@value ZkLayout#GINA_SETTINGS}) when GINA was prepared
     * after the last apply (the demo prepares it after its first apply); idempotent. Nothing happens before the
     * first apply, without {@code /gina}, or when an apply comes in between (that apply publishes them itself).
     *
     * @return whether the settings were written
     */
    public boolean publishGinaSettings() throws ConfigStoreException {
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(ZkLayout.CONFIG);
            if (stat.getVersion() == 0 && data.length == 0) {
                return false;
            }
            Optional<CuratorOp> write = ginaSettingsOperation(
                new GinaSettingsNode(stat.getVersion(), ConfigDocument.parse(data).config().gina()));
            if (write.isEmpty()) {
                return false;
            }
            client.transaction().forOperations(
                client.transactionOp().check().withVersion(stat.getVersion()).forPath(ZkLayout.CONFIG), write.get());
            LOGGER.info("Portal settings of configuration version {} published in {}", stat.getVersion(),
                ZkLayout.GINA_SETTINGS);
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            return false;
        } catch (InvalidConfigException e) {
            throw new ConfigStoreException("the stored configuration does not parse: " + e.getMessage(), e);
        } catch (Exception e) {
            throw storeException("cannot publish " + ZkLayout.GINA_SETTINGS, e);
        }
    }

    /**
     * Writes the portal's share of the document beside it (same transaction), when GINA is prepared ({@code /gina}
     * exists): the portal's identity reads that and cannot read {@code /config}. Without {@code /gina} there is no
     * portal identity to serve, and nothing is written.
     */
    private Optional<CuratorOp> ginaSettingsOperation(GinaSettingsNode node) throws Exception {
        if (client.checkExists().forPath(ZkLayout.GINA) == null) {
            LOGGER.debug("{} does not exist (GINA not prepared): no portal settings written", ZkLayout.GINA);
            return Optional.empty();
        }
        if (client.checkExists().forPath(ZkLayout.GINA_SETTINGS) != null) {
            return Optional.of(client.transactionOp().setData().forPath(ZkLayout.GINA_SETTINGS, node.encode()));
        }
        List<ACL> acl = GinaSettingsNode.acl(acls, client.getACL().forPath(ZkLayout.GINA));
        return Optional.of(client.transactionOp().create().withMode(CreateMode.PERSISTENT).withACL(acl)
            .forPath(ZkLayout.GINA_SETTINGS, node.encode()));
    }

    /** Applies an old version's document as a new version, so the history stays a straight line. */
    public HistoryEntry rollback(int version)
        throws InvalidConfigException, ConfigConflictException, ConfigStoreException {
        String old = historyDocument(version);
        int current = currentVersion();
        LOGGER.info("Rolling back to the document of version {} as version {}", version, current + 1);
        return apply(old, current);
    }

    /** The current document; empty before the first apply. */
    public Optional<StoredConfig> show() throws ConfigStoreException {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(ZkLayout.CONFIG);
        } catch (Exception e) {
            throw storeException("cannot read " + ZkLayout.CONFIG, e);
        }
        if (stat.getVersion() == 0 && data.length == 0) {
            return Optional.empty();
        }
        return Optional.of(new StoredConfig(stat.getVersion(), new String(data, StandardCharsets.UTF_8),
            Instant.ofEpochMilli(stat.getMtime())));
    }

    /** The version an apply must name as expected; 0 before the first apply. */
    public int currentVersion() throws ConfigStoreException {
        return readStat(ZkLayout.CONFIG)
            .orElseThrow(() -> new ConfigStoreException(ZkLayout.CONFIG + " does not exist; initialise first", null))
            .getVersion();
    }

    /** What applying the document would change, as a line diff against the current version. */
    public String diff(String document) throws ConfigStoreException {
        Optional<StoredConfig> current = show();
        String label = current.map(c -> "version " + c.version()).orElse("(nothing applied yet)");
        return LineDiff.unified(current.map(StoredConfig::document).orElse(""), document, label, "new document");
    }

    /** Every applied version, oldest first. */
    public List<HistoryEntry> history() throws ConfigStoreException {
        List<String> children;
        try {
            children = new ArrayList<>(client.getChildren().forPath(ZkLayout.HISTORY));
        } catch (Exception e) {
            throw storeException("cannot list " + ZkLayout.HISTORY, e);
        }
        children.sort(null);
        List<HistoryEntry> entries = new ArrayList<>();
        for (String child : children) {
            int version = Integer.parseInt(child);
            Stat stat = new Stat();
            HistoryRecord record = readHistory(version, stat);
            entries.add(new HistoryEntry(version, Instant.ofEpochMilli(stat.getCtime()), record.author(),
                record.document().getBytes(StandardCharsets.UTF_8).length, record.sha256(), record.message()));
        }
        return entries;
    }

    /** The document as it was applied as the given version. */
    public String historyDocument(int version) throws ConfigStoreException {
        return readHistory(version, new Stat()).document();
    }

    private HistoryRecord readHistory(int version, Stat stat) throws ConfigStoreException {
        String path = ZkLayout.historyPath(version);
        try {
            return HistoryRecord.decode(client.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException e) {
            throw new ConfigStoreException("there is no configuration version " + version + " in the history", e);
        } catch (IOException e) {
            throw new ConfigStoreException(path + " is not a history entry: " + e.getMessage(), e);
        } catch (Exception e) {
            throw storeException("cannot read " + path, e);
        }
    }

    private String authorOf(int version) {
        try {
            return readHistory(version, new Stat()).author();
        } catch (ConfigStoreException e) {
            return null;
        }
    }

    private Optional<Stat> readStat(String path) throws ConfigStoreException {
        try {
            return Optional.ofNullable(client.checkExists().forPath(path));
        } catch (Exception e) {
            throw storeException("cannot read " + path, e);
        }
    }

    private static ConfigStoreException storeException(String what, Exception e) {
        if (e instanceof KeeperException.NoAuthException) {
            return new ConfigAccessDeniedException(what + ": not allowed for this identity (ZooKeeper NoAuth);"
                + " writes need the admin credentials", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ConfigStoreException(what + ": " + e, e);
    }
}
