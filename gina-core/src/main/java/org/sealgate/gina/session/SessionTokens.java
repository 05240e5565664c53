package org.sealgate.gina.session;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import org.sealgate.gina.key.KeyRing;

/**
 * Portal sessions without server-side state: the claims sealed with the cluster session key ring, so any portal
 * node opens a token any other node issued (a VIP failover keeps the session). Expiry is inside the sealed
 * claims; replay after logout/reset is refused by comparing the token's generation with the account's
 * ({@link #verify(String, long)}), which lives in the replicated account store. Renewal keeps an active session
 * going, but never past {@code maxLifetime} after its login.
 */
public final class SessionTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PURPOSE = "session-v1";

    private final SealedBox box;
    /** Default absolute lifetime of a session, renewals included. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(8);
    private final java.util.function.Supplier<Lifetimes> lifetimes;
    private final Clock clock;

    public SessionTokens(KeyRing sessionKeys, Duration lifetime, Clock clock) {
        this(sessionKeys, lifetime, MAX_LIFETIME.compareTo(lifetime) < 0 ? lifetime : MAX_LIFETIME, clock);
    }

    public SessionTokens(KeyRing sessionKeys, Duration lifetime, Duration maxLifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero() || maxLifetime.compareTo(lifetime) < 0) {
            throw new IllegalArgumentException("session lifetimes: 0 < lifetime <= absolute lifetime");
        }
        Lifetimes fixed = new Lifetimes(lifetime, maxLifetime);
        this.box = new SealedBox(sessionKeys, PURPOSE);
        this.lifetimes = () -> fixed;
        this.clock = clock;
    }

    /**
     * Lifetimes read for every token issued or checked, so a change (the cluster document's) applies to the next
     * login and renewal without a restart; tokens already issued keep the expiry sealed into them.
     */
    public SessionTokens(KeyRing sessionKeys, java.util.function.Supplier<Lifetimes> lifetimes, Clock clock) {
        this.box = new SealedBox(sessionKeys, PURPOSE);
        this.lifetimes = lifetimes;
        this.clock = clock;
    }

    /** A session's idle lifetime and its absolute lifetime (renewals included). */
    public record Lifetimes(Duration lifetime, Duration maxLifetime) {
        public Lifetimes {
            if (lifetime.isNegative() || lifetime.isZero() || maxLifetime.compareTo(lifetime) < 0) {
                throw new IllegalArgumentException("session lifetimes: 0 < lifetime <= absolute lifetime");
            }
        }
    }

    /** A token for a fresh login. */
    public String issue(String address, long generation) {
        return issue(address, generation, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A fresh token for a session going on: same address, generation and login time, never past the absolute lifetime. */
    public String renew(SessionClaims claims) {
        return issue(claims.address(), claims.generation(), claims.startedAt());
    }

    private String issue(String address, long generation, Instant startedAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Lifetimes current = lifetimes.get();
        Instant end = startedAt.plus(current.maxLifetime());
        Instant expires = now.plus(current.lifetime()).isAfter(end) ? end : now.plus(current.lifetime());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeUtf(out, address);
            out.writeLong(now.getEpochSecond());
            out.writeLong(expires.getEpochSecond());
            writeUtf(out, random());
            out.writeLong(generation);
            writeUtf(out, random());
            out.writeLong(startedAt.getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return box.seal(bytes.toByteArray());
    }

    /** Opens and checks expiry; the caller still compares the generation with the account (or uses the overload). */
    public SessionClaims open(String token) throws InvalidSealException {
        ByteBuffer in = ByteBuffer.wrap(box.open(token));
        SessionClaims claims;
        try {
            String address = readUtf(in);
            Instant issued = Instant.ofEpochSecond(in.getLong());
            Instant expires = Instant.ofEpochSecond(in.getLong());
            String id = readUtf(in);
            long generation = in.getLong();
            String csrf = readUtf(in);
            // Tokens issued before sessions had an absolute lifetime carry no login time: their issue time stands in.
            Instant started = in.remaining() >= Long.BYTES ? Instant.ofEpochSecond(in.getLong()) : issued;
            claims = new SessionClaims(address, issued, expires, id, generation, csrf, started);
        } catch (BufferUnderflowException e) {
            throw new InvalidSealException("garbled session token");
        }
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw new InvalidSealException("session expired at " + claims.expiresAt());
        }
        Duration maxLifetime = lifetimes.get().maxLifetime();
        if (!clock.instant().isBefore(claims.startedAt().plus(maxLifetime))) {
            throw new InvalidSealException("session reached its absolute lifetime (" + maxLifetime + ")");
        }
        return claims;
    }

    /** Opens, checks expiry and that the token belongs to the account's current session generation. */
    public SessionClaims verify(String token, long currentGeneration) throws InvalidSealException {
        SessionClaims claims = open(token);
        if (claims.generation() != currentGeneration) {
            throw new InvalidSealException("session " + claims.tokenId() + " was ended (logout or password reset)");
        }
        return claims;
    }

    /** Standard UTF-8 with a u16 length (not DataOutput's modified UTF-8, which readUtf would not read back). */
    private static void writeUtf(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /**
     * True once half the lifetime has passed: the portal then issues a fresh token (same generation), so an active
     * recipient is not logged out mid-reply while an idle session still ends after the lifetime.
     */
    public boolean shouldRenew(SessionClaims claims) {
        Lifetimes current = lifetimes.get();
        return !clock.instant().isBefore(claims.issuedAt().plus(current.lifetime().dividedBy(2)))
            && claims.expiresAt().isBefore(claims.startedAt().plus(current.maxLifetime()));
    }

    private static String readUtf(ByteBuffer in) {
        byte[] utf8 = new byte[in.getShort() & 0xffff];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
