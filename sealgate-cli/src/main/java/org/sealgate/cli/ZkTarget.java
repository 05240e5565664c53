package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.store.DigestCredentials;

/**
 * Which ZooKeeper an admin command talks to, and as whom: {@code --zk CONNECT --admin-credentials FILE} for an
 * ensemble, or {@code --data DIR} (default: the demo's data directory) for a node's or the demo's data directory,
 * whose {@code sealgate.properties} names the connect string and whose {@code secrets/} holds the credentials.
 * Passwords only ever come from files, never from the command line.
 *
 * @param node the node identity, needed only to create the configuration znodes with the right ACLs
 */
record ZkTarget(String connect, DigestCredentials admin, Optional<DigestCredentials> node) {

    static final String ZK = "zk";
    static final String ADMIN_CREDENTIALS = "admin-credentials";
    static final String NODE_CREDENTIALS = "node-credentials";

    static ZkTarget from(Arguments arguments) throws IOException {
        Optional<String> zk = arguments.option(ZK);
        if (zk.isPresent()) {
            Path admin = Paths.get(arguments.option(ADMIN_CREDENTIALS).orElseThrow(() -> new Arguments.UsageException(
                "--zk needs --admin-credentials FILE (one line admin-user:password)")));
            Optional<DigestCredentials> node = arguments.option(NODE_CREDENTIALS).isPresent()
                ? Optional.of(DigestCredentials.fromFile(Paths.get(arguments.option(NODE_CREDENTIALS).get())))
                : Optional.empty();
            return new ZkTarget(zk.get(), DigestCredentials.fromFile(admin), node);
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
        return new ZkTarget(settings.connect(), DigestCredentials.fromFile(admin), node);
    }
}
