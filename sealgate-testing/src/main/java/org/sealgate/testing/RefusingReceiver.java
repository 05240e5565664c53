package org.sealgate.testing;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;

/**
 * An SMTP server that refuses the recipients a rule names, permanently ({@code 550} at RCPT), and keeps every
 * message it accepts with its envelope: an internal mail server with mailboxes that do not exist, or a listener
 * that relays for one domain only. Unlike {@link SmtpSink} (Postfix's smtp-sink, which cannot refuse one address)
 * it is written here. Loopback only; each connection has a read timeout and a size limit, and {@link #close()}
 * stops everything.
 */
public final class RefusingReceiver implements AutoCloseable {
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    /** One accepted message: envelope sender, accepted recipients (lower case), the data as received. */
    public record Received(String sender, List<String> recipients, byte[] raw) {
        public MimeMessage message() {
            try {
                return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        public String text() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }

    private final Predicate<String> refused;
    private final AtomicInteger stallsLeft;
    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;
    private final AtomicInteger stalled = new AtomicInteger();
    private static final long STALL_MILLIS = 300_000;

    /** Refuses exactly these recipients (any letter case). */
    public RefusingReceiver(Set<String> refusedRecipients) throws IOException {
        this(refusedRecipients.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())::contains);
    }

    /** Accepts recipients of {@code domain} only, as a listener that relays for nobody. */
    public static RefusingReceiver acceptingOnly(String domain) throws IOException {
        String suffix = "@" + domain.toLowerCase(Locale.ROOT);
        return new RefusingReceiver(address -> !address.endsWith(suffix));
    }

    /**
     * A next hop that answers DATA with 354 and then stops reading, for its first {@code sessions} sessions (it
     * hangs up after five minutes or when closed); later sessions are served as usual. Its receive buffer is small, so a
     * sender's write blocks once a few MB are in flight: the hop that pins a delivery forever if writes are unbounded.
     */
    public static RefusingReceiver stallingInData(int sessions) throws IOException {
        return new RefusingReceiver(address -> false, sessions);
    }

    private RefusingReceiver(Predicate<String> refusedRecipient) throws IOException {
        this(refusedRecipient, 0);
    }

    private RefusingReceiver(Predicate<String> refusedRecipient, int stalls) throws IOException {
        this.refused = refusedRecipient;
        this.stallsLeft = new AtomicInteger(stalls);
        this.server = new ServerSocket();
        if (stalls > 0) {
            server.setReceiveBufferSize(4096);
        }
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        acceptor = new Thread(this::acceptLoop, "refusing-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** How many sessions this receiver stalled in DATA so far. */
    public int stalled() {
        return stalled.get();
    }

    /** Reads nothing for up to {@link #STALL_MILLIS} or until closed: the sender's writes fill the buffers. */
    private void stall() {
        long end = System.currentTimeMillis() + STALL_MILLIS;
        while (!closed && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedFor(String recipient) {
        return received.stream().filter(r -> r.recipients().contains(recipient.toLowerCase(Locale.ROOT))).toList();
    }

    /** Waits (up to two minutes) for a message to this envelope recipient that contains the text. */
    public Received awaitFor(String recipient, String containing) {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
            .until(() -> receivedFor(recipient).stream().filter(r -> r.text().contains(containing)).findFirst(),
                Optional::isPresent)
            .orElseThrow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> serve(socket), "refusing-receiver-session");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 next-hop.test ESMTP");
            String sender = null;
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    reply(out, "250 next-hop.test");
                } else if (upper.startsWith("MAIL FROM:")) {
                    sender = address(line);
                    recipients = new ArrayList<>();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String recipient = address(line);
                    if (refused.test(recipient)) {
                        reply(out, "550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown in local recipient table");
                    } else {
                        recipients.add(recipient);
                        reply(out, "250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA") && stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    stalled.incrementAndGet();
                    stall();
                    return;
                } else if (upper.equals("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    received.add(new Received(sender, List.copyOf(recipients), readData(in)));
                    reply(out, "250 2.0.0 Ok: queued");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the gateway hung up or timed out: nothing was accepted from this session
        }
    }

    private static byte[] readData(BufferedReader in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            if (data.size() > MAX_MESSAGE) {
                throw new IOException("message too large for the test receiver");
            }
            data.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
            data.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return data.toByteArray();
    }

    private static String address(String command) {
        int open = command.indexOf('<');
        int close = command.indexOf('>', open + 1);
        return open < 0 || close < 0 ? "" : command.substring(open + 1, close).toLowerCase(Locale.ROOT);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
