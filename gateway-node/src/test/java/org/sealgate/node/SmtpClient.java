package org.sealgate.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A deliberately plain SMTP client over a real socket, so tests see the server's exact replies and can pick the
 * client's source address (127.0.0.2 for an untrusted client).
 */
final class SmtpClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 400;
        }
    }

    SmtpClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    SmtpClient(String sourceAddress, int port) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(60_000);
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        expect(read(), 220);
        expect(command("EHLO client.test"), 250);
    }

    /** Sends one mail; returns the reply to the end of DATA (or the first refusal). */
    static Reply send(int port, String from, List<String> to, byte[] message) throws IOException {
        try (SmtpClient client = new SmtpClient(port)) {
            return client.mail(from, to, message);
        }
    }

    Reply mail(String from, List<String> to, byte[] message) throws IOException {
        Reply reply = command("MAIL FROM:<" + from + ">");
        if (!reply.positive()) {
            return reply;
        }
        for (String recipient : to) {
            reply = command("RCPT TO:<" + recipient + ">");
            if (!reply.positive()) {
                return reply;
            }
        }
        reply = command("DATA");
        if (reply.code() != 354) {
            return reply;
        }
        out.write(dotStuff(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by server after: " + text);
            }
            text.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString().trim());
    }

    private static void expect(Reply reply, int code) throws IOException {
        if (reply.code() != code) {
            throw new IOException("expected " + code + ", got " + reply.text());
        }
    }

    /** CRLF line endings and a doubled leading dot, as RFC 5321 §4.5.2 wants. */
    private static byte[] dotStuff(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        if (!text.endsWith("\r\n")) {
            text += "\r\n";
        }
        text = text.replace("\r\n.", "\r\n..");
        if (text.startsWith(".")) {
            text = "." + text;
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // the server may already have closed; nothing to tell
        } finally {
            socket.close();
        }
    }
}
