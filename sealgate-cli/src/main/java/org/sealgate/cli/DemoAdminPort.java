package org.sealgate.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** The demo's admin port: {@code --admin-port N} as given, else 8081, else (8081 taken) a free one. */
final class DemoAdminPort {
    static final int DEFAULT = 8081;

    private DemoAdminPort() {
    }

    static int choose(Optional<String> requested) throws IOException {
        if (requested.isPresent()) {
            try {
                int port = Integer.parseInt(requested.get());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new Arguments.UsageException("--admin-port: a port from 1 to 65535, got '" + requested.get() + "'");
            }
        }
        return DemoChildJvm.preferredOrFree(DEFAULT, "the admin endpoint");
    }
}
