package org.sealgate.routes.jobs;

import java.time.Instant;

/**
 * A managed user's key as the expiry warnings see it.
 *
 * @param kind        {@code S/MIME certificate} or {@code OpenPGP key}
 * @param address     the managed user's address
 * @param fingerprint SHA-256 of the certificate, or the OpenPGP fingerprint (hex)
 * @param expires     when it stops being valid
 */
public record ExpiringKey(String kind, String address, String fingerprint, Instant expires) {
}
