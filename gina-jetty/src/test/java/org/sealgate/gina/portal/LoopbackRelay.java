package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 whose outgoing connections to the portal come from another loopback address (e.g.
 * 127.0.0.2): the portal sees a second client address, as a visitor elsewhere on the network. TLS passes through
 * untouched. Each connection ends when either side closes.
 */
final class LoopbackRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    LoopbackRelay(int targetPort, String sourceAddress) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket();
                    out.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
                    out.connect(new InetSocketAddress("127.0.0.1", targetPort), 5_000);
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed, or one connection failed: the client sees it as a refused connection
                }
            }
        }, "loopback-relay");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private static void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "loopback-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
