package org.sealgate.gina.session;

import java.time.Instant;

/**
 * What a session token says: who, since and until when, which token (for audit), the account's session
 * generation when it was issued (logout and reset bump it, so older tokens die on every node) and the
 * anti-CSRF secret that forms of this session must echo; {@code startedAt} is the login the session began with
 * (renewed tokens keep it: the session's absolute lifetime counts from there).
 */
public record SessionClaims(String address, Instant issuedAt, Instant expiresAt, String tokenId, long generation,
                            String csrfToken, Instant startedAt) {
}
