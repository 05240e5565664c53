package org.sealgate.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin sessions, kept in this console's memory only (a restart logs every admin out, which is the safe side):
 * a random 256-bit id in the cookie, an idle limit and an absolute limit, and per session a random anti-CSRF value
 * every form carries. At most {@link #MAX_SESSIONS}; past it the oldest session ends.
 */
final class ConsoleSessions {
    static final int MAX_SESSIONS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Session(String id, String admin, String csrf, Instant created, Instant lastSeen) {
        @Override
        public String toString() {
            return "session of " + admin + " (values hidden)";
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration max;
    private final Clock clock;

    ConsoleSessions(Duration idle, Duration max, Clock clock) {
        this.idle = idle;
        this.max = max;
        this.clock = clock;
    }

    Session open(String admin) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(Session::created))
                .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session session = new Session(random(), admin, random(), now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id (its idle clock restarted), or empty for an unknown, idle or too old one. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        Instant now = clock.instant();
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.admin(), session.csrf(), session.created(), now);
        sessions.put(id, touched);
        return Optional.of(touched);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    Duration maxLifetime() {
        return max;
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastSeen().plus(idle)) || !now.isBefore(session.created().plus(max));
    }

    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time equality; absent values never match. */
    static boolean matches(String expected, String actual) {
        if (expected == null || actual == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
