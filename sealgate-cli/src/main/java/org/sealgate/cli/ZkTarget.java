package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * Which ZooKeeper an admin command talks to, and as whom: {@code --zk CONNECT --admin-credentials FILE} for an
 * ensemble, or {@code --data DIR} (default: the demo's data directory) for a node's or the demo's data directory,
 * whose {@code sealgate.properties} names the connect string and whose {@code secrets/} holds the credentials.
 * Passwords only ever come from files, never from the command line. ZooKeeper over TLS: {@code --zk-tls FILE} (a
 * client file of {@code zk.tls.*} keys, e.g. {@code admin.properties} from {@code cluster tls-issue}); with
 * {@code --data DIR} the default is {@value #DATA_ADMIN_TLS} when it exists, else the node's own {@code zk.tls.*}
 * settings in {@code sealgate.properties}.
 *
 * @param node the node identity, needed only to create the configuration znodes with the right ACLs
 * @param tls  the admin client's TLS settings; empty: plaintext
 */
record ZkTarget(String connect, DigestCredentials admin, Optional<DigestCredentials> node, Optional<ZkTlsSettings> tls) {

    static final String ZK = "zk";
    static final String ADMIN_CREDENTIALS = "admin-credentials";
    static final String NODE_CREDENTIALS = "node-credentials";
    static final String ZK_TLS = "zk-tls";
    /** The admin's TLS client file in a data directory (the demo makes it). */
    static final String DATA_ADMIN_TLS = "zk-tls/admin.properties";

    /** A plaintext target. */
    ZkTarget(String connect, DigestCredentials admin, Optional<DigestCredentials> node) {
        this(connect, admin, node, Optional.empty());
    }

    static ZkTarget from(Arguments arguments) throws IOException {
        Optional<String> zk = arguments.option(ZK);
        if (zk.isPresent()) {
            Path admin = Paths.get(arguments.option(ADMIN_CREDENTIALS).orElseThrow(() -> new Arguments.UsageException(
                "--zk needs --admin-credentials FILE (one line admin-user:password)")));
            Optional<DigestCredentials> node = arguments.option(NODE_CREDENTIALS).isPresent()
                ? Optional.of(DigestCredentials.fromFile(Paths.get(arguments.option(NODE_CREDENTIALS).get())))
                : Optional.empty();
            Optional<ZkTlsSettings> tls = arguments.option(ZK_TLS).isPresent()
                ? Optional.of(ZkTlsSettings.fromFile(Paths.get(arguments.option(ZK_TLS).get())))
                : Optional.empty();
            return new ZkTarget(zk.get(), DigestCredentials.fromFile(admin), node, tls);
        }
        Path data = arguments.dataDirectory();
        if (!Files.exists(data.resolve(org.sealgate.node.NodeSettings.FILE_NAME))) {
            throw new Arguments.UsageException(data + " is not a Sealgate data directory; give --data DIR or --zk CONNECT");
        }
        ClusterSettings settings = ClusterSettings.load(data).orElseThrow(() -> new Arguments.UsageException(
            data + "/" + org.sealgate.node.NodeSettings.FILE_NAME + " has no " + ClusterSettings.CONNECT
                + "; this node does not use ZooKeeper (give --zk CONNECT --admin-credentials FILE for an ensemble)"));
        Path admin = data.resolve(arguments.option(ADMIN_CREDENTIALS).orElse(ClusterSettings.ADMIN_CREDENTIALS_FILE));
        if (!Files.exists(admin)) {
            throw new Arguments.UsageException("no admin credentials in " + admin + "; give --admin-credentials FILE");
        }
        Optional<DigestCredentials> node = Files.exists(settings.credentials())
            ? Optional.of(DigestCredentials.fromFile(settings.credentials()))
            : Optional.empty();
        Optional<ZkTlsSettings> tls;
        if (arguments.option(ZK_TLS).isPresent()) {
            tls = Optional.of(ZkTlsSettings.fromFile(Paths.get(arguments.option(ZK_TLS).get())));
        } else if (Files.exists(data.resolve(DATA_ADMIN_TLS))) {
            tls = Optional.of(ZkTlsSettings.fromFile(data.resolve(DATA_ADMIN_TLS)));
        } else {
            tls = ClusterSettings.tls(data);
        }
        return new ZkTarget(settings.connect(), DigestCredentials.fromFile(admin), node, tls);
    }
}
