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
        if (free(DEFAULT)) {
            return DEFAULT;
        }
        try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("Port " + DEFAULT + " is taken: the admin endpoint uses " + any.getLocalPort() + " instead.");
            return any.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
