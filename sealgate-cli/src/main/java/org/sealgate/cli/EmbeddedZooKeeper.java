package org.sealgate.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.sealgate.zk.tls.ZkTlsAuthority;
import org.sealgate.zk.tls.ZkTlsServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's single ZooKeeper server, through ZooKeeper's own embedded API: data under {@code DATA/zookeeper},
 * bound to 127.0.0.1 only, on port 2181 unless that is taken, in which case a free port is chosen and recorded in
 * {@code DATA/zookeeper/client-port} so the next start tries the same one. It serves TLS only, with a client
 * certificate required (the demo's CA in {@code DATA/zk-tls}, {@link DemoTls}); there is no plaintext port.
 * Production nodes use an ensemble.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
    static final int DEFAULT_PORT = 2181;
    private static final long START_TIMEOUT_MS = 30_000;
    /** ZooKeeper's embedded server runs in a thread of this name (ZooKeeperServerEmbeddedImpl). */
    private static final String RUNNER_THREAD = "zkservermainrunner";

    private final ZooKeeperServerEmbedded server;
    private final int port;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
        this.server = server;
        this.port = port;
    }

    /** TLS only: the server's certificate is {@code pki/zookeeper.p12}, clients must present one from {@code pki/ca.pem}. */
    static EmbeddedZooKeeper start(Path directory, Path pki) throws Exception {
        Files.createDirectories(directory.resolve("data"));
        Path portFile = directory.resolve("client-port");
        int preferred = Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : DEFAULT_PORT;
        int port = isFree(preferred) ? preferred : freePort();
        if (port != preferred) {
            LOGGER.info("Port {} is taken; the demo's ZooKeeper uses {} instead", preferred, port);
        }
        Files.writeString(portFile, port + "\n", StandardCharsets.US_ASCII);
        return startOn(directory, pki, port);
    }

    /**
     * On {@code port} exactly. When another program binds it between the check above and ZooKeeper's bind,
     * ZooKeeper's embedded API would wait out its whole start timeout: its runner thread ends at once, so that is
     * watched and the start fails within about a second, naming the port.
     */
    static EmbeddedZooKeeper startOn(Path directory, Path pki, int port) throws Exception {
        Files.createDirectories(directory.resolve("data"));
        Properties configuration = new Properties();
        configuration.setProperty("dataDir", directory.resolve("data").toString());
        configuration.setProperty("tickTime", "2000");
        // Nothing but the client port: no admin HTTP server, no four-letter words beyond the default.
        configuration.setProperty("admin.enableServer", "false");
        ZkTlsServerConfig.secureOnly(configuration, "127.0.0.1", port, pki.resolve(DemoTls.SERVER + ".p12"),
            pki.resolve(DemoTls.SERVER + ".p12.password"), pki.resolve(ZkTlsAuthority.CA_CERTIFICATE));
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
            .baseDir(directory)
            .configuration(configuration)
            .exitHandler(ExitHandler.LOG_ONLY)   // never System.exit() the demo from inside ZooKeeper
            .build();
        ZkTlsServerConfig.activate();
        startWatched(server, port);
        LOGGER.info("Embedded ZooKeeper on 127.0.0.1:{} (TLS only, client certificates required), data in {}", port, directory);
        return new EmbeddedZooKeeper(server, port);
    }

    private static void startWatched(ZooKeeperServerEmbedded server, int port) throws Exception {
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                server.start(START_TIMEOUT_MS);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS + 5_000);
        long graceEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!started.isDone()) {
            // ZooKeeper's runner thread serves until closed: gone while the start has not finished = it failed.
            if (System.nanoTime() > graceEnds && !runnerAlive()) {
                server.close();
                throw new IOException("the demo's ZooKeeper could not listen on 127.0.0.1:" + port + " (another program"
                    + " took the port as it started): start the demo again, it picks a free port");
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IOException("the demo's ZooKeeper did not start on 127.0.0.1:" + port + " within "
                    + START_TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(100);
        }
        try {
            started.join();
        } catch (CompletionException e) {
            throw new IOException("the demo's ZooKeeper did not start on 127.0.0.1:" + port + ": " + e.getCause(), e.getCause());
        }
    }

    private static boolean runnerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> RUNNER_THREAD.equals(thread.getName()) && thread.isAlive());
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
