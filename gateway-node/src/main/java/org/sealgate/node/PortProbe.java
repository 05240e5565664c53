package org.sealgate.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a TCP port can be listened on, checked by binding it briefly (with SO_REUSEADDR, as the SMTP server
 * binds, so a port in TIME_WAIT counts as free). A check, not a reservation: the server's own bind stays the
 * authority, and its failure is reported the same way ({@link NodeStartException#portTaken}).
 */
public final class PortProbe {
    private PortProbe() {
    }

    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the system considers free on {@code host} right now. */
    public static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
