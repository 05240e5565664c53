package org.sealgate.cli;

import java.nio.file.Path;
import java.util.Properties;

import org.sealgate.zk.tls.ZkTlsAuthority;
import org.sealgate.zk.tls.ZkTlsServerConfig;

/**
 * The {@code zookeeper.cfg} and {@code myid} of an appliance's ZooKeeper ensemble member (the
 * {@code sealgate-zookeeper} unit runs {@code QuorumPeerMain} on it). A new cluster starts with one member, which
 * ZooKeeper runs in standalone mode (a one-server quorum with {@code standaloneEnabled=false} never served
 * clients in our tests with ZooKeeper 3.9); it grows to three the documented way, by giving every member the same
 * {@code server.N} lines and its {@code myid} (written now: 1) and restarting them, data kept. Clients are served
 * over TLS only with a client certificate from the cluster CA.
 *
 * @param host        the address the member serves on and the others reach it at (also in its certificate)
 * @param clientPort  the TLS client port
 * @param quorumPorts {@code PEER:ELECTION}, e.g. {@code 2888:3888}
 * @param tls         the directory with the server identity ({@code NAME.p12}) and {@code ca.pem}; empty: plaintext
 */
record ZooKeeperMemberConfig(int myId, String host, int clientPort, String quorumPorts, Path dataDirectory,
                             java.util.Optional<Path> tls, String serverIdentity) {
    static final String FILE_NAME = "zookeeper.cfg";

    ZooKeeperMemberConfig {
        if (!quorumPorts.matches("\\d{1,5}:\\d{1,5}")) {
            throw new Arguments.UsageException("setup: zk.quorum-ports is PEER:ELECTION (e.g. 2888:3888), not '" + quorumPorts + "'");
        }
        if (clientPort < 1 || clientPort > 65535) {
            throw new Arguments.UsageException("setup: zk.port out of range: " + clientPort);
        }
        if (!host.matches("[A-Za-z0-9.:-]+")) {
            throw new Arguments.UsageException("setup: zk.host is a host name or address, not '" + host + "'");
        }
    }

    String connectString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + clientPort;
    }

    String render() {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("dataDir", dataDirectory.toString());
        p.setProperty("admin.enableServer", "false");
        p.setProperty("reconfigEnabled", "false");
        p.setProperty("autopurge.snapRetainCount", "5");
        p.setProperty("autopurge.purgeInterval", "24");
        // The ensemble's line for this member, for when it grows (a comment now: one server runs standalone).
        String serverLine = "# server." + myId + "=" + host + ":" + quorumPorts + "\n";
        if (tls.isPresent()) {
            Path keystore = tls.get().resolve(serverIdentity + ".p12");
            Path password = tls.get().resolve(serverIdentity + ".p12.password");
            Path ca = tls.get().resolve(ZkTlsAuthority.CA_CERTIFICATE);
            ZkTlsServerConfig.secureOnly(p, host, clientPort, keystore, password, ca);
        } else {
            p.setProperty("clientPortAddress", host);
            p.setProperty("clientPort", Integer.toString(clientPort));
        }
        StringBuilder text = new StringBuilder("""
            # Sealgate ZooKeeper ensemble member, written by sealgate setup (cluster = new). To grow the ensemble to
            # three, see "Growing the ZooKeeper ensemble" in /usr/share/doc/sealgate/README.md: the same server.N
            # lines (server.N = HOST:PEER:ELECTION) on every member, N in each one's DATA/zookeeper/myid, then a
            # restart of the members one at a time.
            """).append(serverLine);
        p.stringPropertyNames().stream().sorted().forEach(k -> text.append(k).append('=').append(p.getProperty(k)).append('\n'));
        return text.toString();
    }
}
