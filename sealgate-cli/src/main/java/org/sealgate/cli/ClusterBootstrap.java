package org.sealgate.cli;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.GinaNodeSettings;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.tls.ZkTlsAuthority;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * What the demo and a production first node ({@code sealgate setup} with {@code cluster = new}) make alike: the
 * cluster's three ZooKeeper digest identities (admin, node, gina) as owner-only files in {@code DATA/secrets}, the
 * {@code /gina} subtree prepared for the gina identity alone, the {@code zk.tls.*} keys of an identity issued by
 * the cluster's ZooKeeper CA, and the portal-reply listener. One place, so production gets the ACL layout the demo
 * is tested with.
 */
final class ClusterBootstrap {
    private static final int CONNECT_SECONDS = 10;

    private ClusterBootstrap() {
    }

    /** The admin identity of {@code DATA}, created with a random password when missing. */
    static DigestCredentials admin(Path data) throws IOException {
        return CredentialFiles.readOrCreate(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE), "admin");
    }

    /** The node (read) identity of {@code DATA}, created when missing. */
    static DigestCredentials node(Path data) throws IOException {
        return CredentialFiles.readOrCreate(data.resolve(ClusterSettings.NODE_CREDENTIALS_FILE), "node");
    }

    /** The GINA identity of {@code DATA} (mailet and portal), created when missing. */
    static DigestCredentials gina(Path data) throws IOException {
        return CredentialFiles.readOrCreate(data.resolve(GinaFiles.ZK_CREDENTIALS), GinaFiles.ZK_USER);
    }

    /**
     * {@code /gina/accounts} readable and writable by the gina identity and the admin, nobody else, and the
     * portal's share of the current document published; idempotent. What this client creates beyond
     * AccountStores' own ACLs is the admin's alone.
     */
    static void prepareGina(String connect, DigestCredentials admin, DigestCredentials gina, Optional<ZkTlsSettings> tls)
        throws Exception {
        List<ACL> acls = new ArrayList<>(List.of(new ACL(Perms.ALL, admin.identity())));
        try (CuratorFramework client = ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, admin, acls, tls)) {
            client.start();
            if (!client.blockUntilConnected(CONNECT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("cannot reach ZooKeeper at " + connect + " within " + CONNECT_SECONDS + " s");
            }
            AccountStores.prepare(client, admin.identity(), gina.identity());
            new ConfigStore(client, acls, admin.user()).publishGinaSettings();
        }
    }

    /** The {@code zk.tls.*} keys (pairs) of identity {@code name} whose files are in {@code pki}, paths relative to {@code base}. */
    static String[] tlsSettings(Path pki, Path base, String name) {
        Path relative = base.relativize(pki);
        return new String[] {
            ZkTlsSettings.KEYSTORE, relative.resolve(name + ".p12").toString(),
            ZkTlsSettings.KEYSTORE_PASSWORD_FILE, relative.resolve(name + ".p12.password").toString(),
            ZkTlsSettings.TRUSTSTORE, relative.resolve(ZkTlsAuthority.CA_CERTIFICATE).toString(),
            ZkTlsSettings.HOSTNAME_VERIFICATION, "true"};
    }

    /**
     * The portal's replies go to the node's untrusted reply listener ({@code gina.reply-smtp}), never to the
     * trusted SMTP port: the port after the SMTP port, kept if already set. Returns its port.
     */
    static int recordReplyListener(Path data, int smtpPort) throws IOException {
        Optional<String> existing = GinaNodeSettings.load(data).replyListener();
        if (existing.isPresent()) {
            return Integer.parseInt(existing.get().substring(existing.get().lastIndexOf(':') + 1));
        }
        GinaNodeSettings.recordReplyListener(data, "127.0.0.1:" + (smtpPort + 1));
        return smtpPort + 1;
    }

    /**
     * The first interface that is up and not loopback (keepalived runs no VRRP on {@code lo}), so that a rendered
     * keepalived.conf passes {@code keepalived --config-test} on this machine; {@code eth0} if none.
     */
    static String vipInterface() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback() && !i.isVirtual() && i.getName().matches("[A-Za-z0-9_.-]{1,15}");
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .map(NetworkInterface::getName).sorted().findFirst().orElse("eth0");
        } catch (SocketException e) {
            return "eth0";
        }
    }
}
