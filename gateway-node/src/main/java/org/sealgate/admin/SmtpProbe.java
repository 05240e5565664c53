package org.sealgate.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the node's own SMTP listener accepts: a real connection and its {@code 220} greeting, then {@code QUIT}.
 * The answer is kept for a short while, so a balancer probing several times a second costs one SMTP session per
 * period, not one per probe.
 */
public final class SmtpProbe {
    private static final int TIMEOUT_MILLIS = 5000;

    private final InetSocketAddress listener;
    private final Duration cacheFor;
    private final Clock clock;
    private Instant checkedAt;
    private Optional<String> lastProblem = Optional.empty();

    public SmtpProbe(InetSocketAddress listener, Duration cacheFor, Clock clock) {
        this.listener = listener;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /** Empty when the listener greeted with 220; otherwise what went wrong, in one line. */
    public synchronized Optional<String> problem() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(cacheFor))) {
            lastProblem = probe();
            checkedAt = clock.instant();
        }
        return lastProblem;
    }

    private Optional<String> probe() {
        String where = "smtp " + listener.getHostString() + ":" + listener.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(listener, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = in.readLine();
            if (greeting == null) {
                return Optional.of(where + " closed the connection before its greeting");
            }
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (!greeting.startsWith("220")) {
                return Optional.of(where + " greeted with " + greeting.substring(0, Math.min(3, greeting.length())));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(where + " not accepting: " + e.getClass().getSimpleName());
        }
    }
}
