package org.sealgate.gina.portal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as the gateway's reply listener does (it trusts no client): RCPT for the managed domain is accepted,
 * any other recipient refused with 550 (no relaying). Records the accepted recipients of each delivered mail.
 */
final class ReplyListenerStub implements AutoCloseable {
    private final ServerSocket server;
    private final String managedDomain;
    final List<List<String>> delivered = new CopyOnWriteArrayList<>();

    ReplyListenerStub(String managedDomain) throws IOException {
        this.managedDomain = managedDomain.toLowerCase(Locale.ROOT);
        server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Thread thread = new Thread(this::serve, "reply-listener-stub");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(30_000);
                session(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)),
                    socket.getOutputStream());
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private void session(BufferedReader in, OutputStream out) throws IOException {
        List<String> accepted = new CopyOnWriteArrayList<>();
        reply(out, "220 stub ESMTP");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 stub");
            } else if (command.startsWith("MAIL FROM")) {
                accepted.clear();
                reply(out, "250 ok");
            } else if (command.startsWith("RCPT TO")) {
                String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT);
                if (address.endsWith("@" + managedDomain)) {
                    accepted.add(address);
                    reply(out, "250 ok");
                } else {
                    reply(out, "550 5.7.1 Requested action not taken: relaying denied");
                }
            } else if (command.equals("DATA")) {
                reply(out, "354 go on");
                for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                    // the content is not needed here
                }
                delivered.add(List.copyOf(accepted));
                reply(out, "250 queued");
            } else if (command.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 ok");
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
