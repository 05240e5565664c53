package org.sealgate.gina.throttle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.sealgate.gina.account.AccountStoreException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Counters as znodes {@code <base>/<sha256(key) in hex>} (the key names an address and a client: hashed, so the
 * tree lists neither), JSON {@code {failures, until, updated}}; writes are version-checked by ZooKeeper, so every
 * portal node counts into the same counter.
 */
final class ZkCounterStore implements CounterStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final CuratorFramework client;
    private final String base;
    private final List<ACL> acls;

    ZkCounterStore(CuratorFramework client, String base, List<ACL> acls) {
        this.client = client;
        this.base = base;
        this.acls = new ArrayList<>(acls);   // ZooKeeper's ACL check calls contains(null): no immutable list
    }

    @Override
    public Optional<Versioned> read(String key) throws AccountStoreException {
        String path = path(key);
        try {
            Stat stat = new Stat();
            JsonNode n = MAPPER.readTree(client.getData().storingStatIn(stat).forPath(path));
            Optional<Instant> until = n.hasNonNull("until") ? Optional.of(Instant.parse(n.get("until").asText())) : Optional.empty();
            return Optional.of(new Versioned(new Counter(n.path("failures").asInt(), until,
                Instant.parse(n.path("updated").asText())), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // A garbled counter must not block anyone for ever: treat it as absent (the next write replaces it).
            return Optional.empty();
        } catch (Exception e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public boolean write(String key, int expectedVersion, Counter counter) throws AccountStoreException {
        String path = path(key);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("failures", counter.failures());
        counter.until().ifPresent(u -> n.put("until", u.toString()));
        n.put("updated", counter.updated().toString());
        byte[] data = n.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (expectedVersion < 0) {
                client.create().creatingParentsIfNeeded().withACL(acls, true).forPath(path, data);
            } else {
                client.setData().withVersion(expectedVersion).forPath(path, data);
            }
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw failure("write", path, e);
        }
    }

    @Override
    public void delete(String key) throws AccountStoreException {
        String path = path(key);
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // already gone
        } catch (Exception e) {
            throw failure("delete", path, e);
        }
    }

    @Override
    public int deleteWrittenBefore(Instant cutoff) throws AccountStoreException {
        List<String> children;
        try {
            children = client.getChildren().forPath(base);
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (Exception e) {
            throw failure("list", base, e);
        }
        int deleted = 0;
        for (String child : children) {
            String path = base + "/" + child;
            try {
                Stat stat = new Stat();
                JsonNode n = MAPPER.readTree(client.getData().storingStatIn(stat).forPath(path));
                boolean stale = !n.hasNonNull("updated") || Instant.parse(n.get("updated").asText()).isBefore(cutoff);
                if (stale) {
                    client.delete().withVersion(stat.getVersion()).forPath(path);   // not if written meanwhile
                    deleted++;
                }
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                // gone or just written: leave it
            } catch (IOException | RuntimeException e) {
                try {
                    client.delete().forPath(path);   // garbled: useless to everyone
                    deleted++;
                } catch (Exception ignored) {
                    // the next sweep tries again
                }
            } catch (Exception e) {
                throw failure("sweep", path, e);
            }
        }
        return deleted;
    }

    private String path(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return base + "/" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is on every Java platform", e);
        }
    }

    private static AccountStoreException failure(String what, String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new AccountStoreException("could not " + what + " " + path + " in ZooKeeper: " + e.getMessage(), e);
    }
}
