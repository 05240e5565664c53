package org.sealgate.routes.audit.syslog;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

/**
 * A syslog collector on loopback for tests: UDP datagrams, or octet-counted frames over TCP or TLS, read strictly
 * (a frame that is not {@code DIGITS SP} followed by exactly that many bytes is recorded as an error). Records raw.
 */
final class SyslogCollector implements AutoCloseable {
    final List<byte[]> records = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    private final AutoCloseable socket;
    private final int port;
    private final Thread thread;

    private SyslogCollector(AutoCloseable socket, int port, Runnable loop) {
        this.socket = socket;
        this.port = port;
        this.thread = new Thread(loop, "test-syslog-collector");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static SyslogCollector udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        SyslogCollector[] self = new SyslogCollector[1];
        self[0] = new SyslogCollector(socket, socket.getLocalPort(), () -> {
            byte[] buffer = new byte[65_535];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return;
                }
                self[0].records.add(Arrays.copyOf(packet.getData(), packet.getLength()));
            }
        });
        return self[0];
    }

    static SyslogCollector tcp() throws IOException {
        return stream(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()), true);
    }

    static SyslogCollector tls(SSLContext server) throws IOException {
        return stream(server.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress()), true);
    }

    /** Accepts connections and never reads from them: a stuck collector. */
    static SyslogCollector notReading() throws IOException {
        return stream(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()), false);
    }

    private static SyslogCollector stream(ServerSocket server, boolean read) {
        SyslogCollector[] self = new SyslogCollector[1];
        List<Socket> held = new CopyOnWriteArrayList<>();
        self[0] = new SyslogCollector(() -> {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }, server.getLocalPort(), () -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    if (read) {
                        Thread reader = new Thread(() -> self[0].readFrames(socket), "test-syslog-reader");
                        reader.setDaemon(true);
                        reader.start();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return self[0];
    }

    private void readFrames(Socket socket) {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
            while (true) {
                StringBuilder length = new StringBuilder();
                int c = in.read();
                if (c < 0) {
                    return;
                }
                while (c >= '0' && c <= '9' && length.length() < 10) {
                    length.append((char) c);
                    c = in.read();
                }
                if (c != ' ' || length.isEmpty() || length.charAt(0) == '0') {
                    errors.add("bad frame header '" + length + "' then " + c);
                    return;
                }
                int size = Integer.parseInt(length.toString());
                ByteArrayOutputStream record = new ByteArrayOutputStream(size);
                for (int i = 0; i < size; i++) {
                    int b = in.read();
                    if (b < 0) {
                        errors.add("frame cut short");
                        return;
                    }
                    record.write(b);
                }
                records.add(record.toByteArray());
            }
        } catch (IOException e) {
            // the sender went away
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(2_000);
    }
}
