package org.sealgate.node;

import java.nio.file.Path;

/** Where a node keeps its state, all under one data directory. */
public record NodeLayout(Path data) {

    public NodeLayout {
        data = data.toAbsolutePath().normalize();
    }

    /** James's working directory: its rendered conf/ and its var/ (queue store, error and quarantine repositories). */
    public Path james() {
        return data.resolve("james");
    }

    public Path jamesConf() {
        return james().resolve("conf");
    }

    public Path keys() {
        return data.resolve("keys");
    }

    public Path audit() {
        return data.resolve("audit");
    }

    public Path policy() {
        return data.resolve("policy.properties");
    }

    /** The last cluster configuration version this node applied, served while ZooKeeper is unreachable. */
    public Path lastKnownGoodConfig() {
        return data.resolve("cluster").resolve("last-known-good.json");
    }

    /** The node's copy of the cluster's key store (sealed keys stay sealed), used while ZooKeeper is unreachable. */
    public Path clusterKeysCopy() {
        return data.resolve("cluster").resolve("keys-copy.json");
    }

    /** The node's copy of the cluster's OpenPGP keys (secret keys stay sealed), used while ZooKeeper is unreachable. */
    public Path clusterPgpKeysCopy() {
        return data.resolve("cluster").resolve("pgp-keys-copy.json");
    }

    /** The cluster's discovered keys ({@code /keys/discovered}) as last read, to start from without ZooKeeper. */
    public Path clusterDiscoveredKeysCopy() {
        return data.resolve("cluster").resolve("discovered-keys-copy.json");
    }

    /** The node's own status (as in its registry entry), kept locally: readable while ZooKeeper is not. */
    public Path clusterStatus() {
        return data.resolve("cluster").resolve("status.json");
    }

    public Path inboundMail() {
        return data.resolve("mail").resolve("inbound");
    }

    public Path outboundMail() {
        return data.resolve("mail").resolve("outbound");
    }

    public Path quarantine() {
        return james().resolve("var").resolve("mail").resolve("quarantine");
    }

    /** Held mail, sealed (see {@link org.sealgate.held.HeldMailStores}); {@code held/requests} for the CLI's requests. */
    public Path held() {
        return data.resolve("held");
    }

    public Path errors() {
        return james().resolve("var").resolve("mail").resolve("error");
    }
}
