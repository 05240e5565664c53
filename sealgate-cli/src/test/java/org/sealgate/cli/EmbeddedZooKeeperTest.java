package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.tls.ZkTlsServerConfig;

/** The demo's ZooKeeper on a port another program holds at bind time: a quick failure naming the port, no hang. */
class EmbeddedZooKeeperTest {
    @TempDir
    Path work;

    @AfterEach
    void clear() {
        ZkTlsServerConfig.clearSystemProperties();
    }

    @Test
    void portTakenAtBindShouldFailWithinSecondsNamingThePortNotWaitOutTheStartTimeout() throws Exception {
        Path pki = DemoTls.ensure(work);
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = squatter.getLocalPort();
            long started = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedZooKeeper.startOn(work.resolve("zookeeper"), pki, port))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not listen on 127.0.0.1:" + port)
                .hasMessageContaining("start the demo again");
            // ZooKeeper's own start would wait 30 s for a server that died at once.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
