package org.sealgate.zk.tls;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real single ZooKeeper server serving clients over TLS only (no plaintext port), on 127.0.0.1 and a free
 * port, with the certificate of {@code identity} from {@code authority}'s directory. One at a time per JVM:
 * ZooKeeper keeps its server TLS settings in system properties.
 */
public final class TlsZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final int port;

    private TlsZooKeeper(ZooKeeperServerEmbedded server, int port) {
        this.server = server;
        this.port = port;
    }

    public static TlsZooKeeper start(Path directory, Path authority, String identity) throws Exception {
        Files.createDirectories(directory.resolve("data"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Properties config = new Properties();
        config.setProperty("dataDir", directory.resolve("data").toString());
        config.setProperty("tickTime", "2000");
        config.setProperty("admin.enableServer", "false");
        ZkTlsServerConfig.secureOnly(config, "127.0.0.1", port, authority.resolve(identity + ".p12"),
            authority.resolve(identity + ".p12.password"), authority.resolve(ZkTlsAuthority.CA_CERTIFICATE));
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder().baseDir(directory).configuration(config)
            .exitHandler(ExitHandler.LOG_ONLY).build();
        ZkTlsServerConfig.activate();
        server.start(30_000);
        return new TlsZooKeeper(server, port);
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The plaintext client port ZooKeeper bound, if any (none expected: at most 0). */
    public int plaintextPort() {
        return server.getClientPort();
    }

    @Override
    public void close() {
        server.close();
        ZkTlsServerConfig.clearSystemProperties();
    }
}
