package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.sealgate.zk.tls.ZkTlsAuthority;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * The demo's ZooKeeper TLS material in {@code DATA/zk-tls}, made on first start like {@code cluster tls-init} and
 * {@code tls-issue} would: a CA, the server ({@value #SERVER}, for 127.0.0.1 and localhost), and one client
 * identity each for the admin CLI, the node and the portal. Its CA key stays there: a demo convenience, not how
 * production keeps it.
 */
final class DemoTls {
    static final String DIRECTORY = "zk-tls";
    static final String SERVER = "zookeeper";
    static final String ADMIN = "admin";
    static final String NODE = "node";
    static final String PORTAL = "portal";

    private DemoTls() {
    }

    /** Makes what is missing; returns the directory. */
    static Path ensure(Path data) throws IOException {
        Path pki = data.resolve(DIRECTORY);
        ZkTlsAuthority authority = Files.exists(pki.resolve(ZkTlsAuthority.CA_CERTIFICATE))
            ? ZkTlsAuthority.load(pki)
            : ZkTlsAuthority.create(pki, "Sealgate demo ZooKeeper CA", Instant.now());
        if (!Files.exists(pki.resolve(SERVER + ".p12"))) {
            authority.issue(SERVER, List.of("127.0.0.1", "localhost"), Instant.now());
        }
        for (String client : List.of(ADMIN, NODE, PORTAL)) {
            if (!Files.exists(pki.resolve(client + ".p12"))) {
                authority.issue(client, List.of(), Instant.now());
            }
        }
        return pki;
    }

    /** The admin CLI's TLS settings in the demo ({@value ZkTarget#DATA_ADMIN_TLS}). */
    static ZkTlsSettings admin(Path data) throws IOException {
        return ZkTlsSettings.fromFile(data.resolve(ZkTarget.DATA_ADMIN_TLS));
    }

    /** The {@code zk.tls.*} keys of identity {@code name}, paths relative to {@code base}. */
    static String[] settings(Path data, Path base, String name) {
        return ClusterBootstrap.tlsSettings(data.resolve(DIRECTORY), base, name);
    }
}
