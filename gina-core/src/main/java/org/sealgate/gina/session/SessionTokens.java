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
 * ({@link #verify(String, long)}), which lives in the replicated account store.
 */
public final class SessionTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PURPOSE = "session-v1";

    private final SealedBox box;
    private final Duration lifetime;
    private final Clock clock;

    public SessionTokens(KeyRing sessionKeys, Duration lifetime, Clock clock) {
        this.box = new SealedBox(sessionKeys, PURPOSE);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String issue(String address, long generation) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(address);
            out.writeLong(now.getEpochSecond());
            out.writeLong(now.plus(lifetime).getEpochSecond());
            out.writeUTF(random());
            out.writeLong(generation);
            out.writeUTF(random());
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
            claims = new SessionClaims(readUtf(in), Instant.ofEpochSecond(in.getLong()), Instant.ofEpochSecond(in.getLong()),
                readUtf(in), in.getLong(), readUtf(in));
        } catch (BufferUnderflowException e) {
            throw new InvalidSealException("garbled session token");
        }
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw new InvalidSealException("session expired at " + claims.expiresAt());
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
