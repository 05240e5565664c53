package org.sealgate.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.node.GinaNodeSettings;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The demo node's side of GINA, made before the node starts (and whether or not the portal JVM runs): the GINA
 * ZooKeeper identity ({@value GinaFiles#ZK_CREDENTIALS}), the cluster key ring ({@value GinaFiles#KEY_RING}, the
 * file the demo portal reads too), {@code /gina/accounts} prepared for that identity, and the portal URL the
 * carrier mails point to. Every step is idempotent; {@link DemoPortal} does the same for the portal.
 */
final class DemoGina {
    static final int DEFAULT_PORT = 8443;

    private DemoGina() {
    }

    static void prepare(Path data, String zkConnect, DigestCredentials admin) throws Exception {
        DigestCredentials gina = ClusterBootstrap.gina(data);
        KeyRing.loadOrCreate(data.resolve(GinaFiles.KEY_RING), "demo-1");
        ClusterBootstrap.prepareGina(zkConnect, admin, gina, Optional.of(DemoTls.admin(data)));
    }

    /**
     * The portal's replies go to the node's untrusted reply listener ({@code gina.reply-smtp}), never to the
     * trusted SMTP port: the port after the SMTP port, kept if already set. Returns its port.
     */
    static int recordReplyListener(Path data, int smtpPort) throws IOException {
        return ClusterBootstrap.recordReplyListener(data, smtpPort);
    }

    /** The portal as recipients reach it in the demo: 127.0.0.1 and the port the portal got (8443 if none runs). */
    static void recordPortal(Path data, int port) throws IOException {
        GinaNodeSettings.recordPortalUrl(data, URI.create("https://127.0.0.1:" + port));
    }
}
