package org.sealgate.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import org.sealgate.smtp.DrainSwitch;

/** Builds and starts the admin endpoint. */
public final class AdminEndpoints {
    /** The file in the admin directory that names where a running node's endpoint listens ({@code HOST:PORT}). */
    public static final String ENDPOINT_FILE = "endpoint";

    private AdminEndpoints() {
    }

    /**
     * Binds {@code bind} (port 0: any free port), writes a new token and the endpoint's address into
     * {@code adminDirectory} for the CLI, and serves until closed. Fails when the address cannot be bound.
     */
    public static AdminEndpoint start(InetSocketAddress bind, Path adminDirectory, NodeHealth health, NodeMetrics metrics,
                                      NodeView node, DrainSwitch drain) throws IOException {
        return start(bind, adminDirectory, health, metrics, node, drain, "", HeldMailAccess.NONE, Optional::empty);
    }

    /**
     * As above, also serving the node's held mail ({@code /held}) to callers with the local token or the cluster
     * admin token, whose SHA-256 {@code clusterDigest} reads (from ZooKeeper; empty for a standalone node).
     */
    public static AdminEndpoint start(InetSocketAddress bind, Path adminDirectory, NodeHealth health, NodeMetrics metrics,
                                      NodeView node, DrainSwitch drain, String nodeId, HeldMailAccess held,
                                      Supplier<Optional<byte[]>> clusterDigest) throws IOException {
        AdminToken token = AdminToken.create(adminDirectory).withClusterDigest(clusterDigest);
        AdminEndpointImpl endpoint = AdminEndpointImpl.start(bind, token, health, metrics, node, drain,
            new HeldRequests(nodeId, held));
        InetSocketAddress address = endpoint.address();
        // A wildcard bind is reached locally over loopback.
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        try {
            Files.writeString(adminDirectory.resolve(ENDPOINT_FILE), host + ":" + address.getPort() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    /** The endpoint a running node wrote, as {@code HOST:PORT} (the CLI's side). */
    public static String read(Path adminDirectory) throws IOException {
        return Files.readString(adminDirectory.resolve(ENDPOINT_FILE), StandardCharsets.US_ASCII).strip();
    }
}
