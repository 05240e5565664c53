package org.sealgate.revocation;

import java.time.Duration;

/**
 * Bounds of live revocation checking.
 *
 * @param timeout                  total time one CRL or OCSP fetch may take (connect + answer)
 * @param maxCrlBytes              a larger CRL is refused (a hostile or broken server cannot exhaust memory)
 * @param maxOcspBytes             a larger OCSP response is refused
 * @param failureBackoff           after a failed fetch the same URI is not asked again for this long
 * @param crlMaxAge                how long a CRL without {@code nextUpdate} is used before it is fetched again
 * @param ocspMaxAge               how long an OCSP answer without {@code nextUpdate} is cached (and, without a
 *                                 nonce echoed, how old its {@code thisUpdate} may be)
 * @param clockSkew                tolerance for {@code thisUpdate}/{@code nextUpdate} against our clock
 */
public record RevocationSettings(Duration timeout, int maxCrlBytes, int maxOcspBytes, Duration failureBackoff,
                                 Duration crlMaxAge, Duration ocspMaxAge, Duration clockSkew) {

    public static RevocationSettings defaults() {
        return new RevocationSettings(Duration.ofSeconds(5), 10 * 1024 * 1024, 64 * 1024, Duration.ofMinutes(1),
            Duration.ofHours(1), Duration.ofMinutes(15), Duration.ofMinutes(5));
    }

    public RevocationSettings withTimeout(Duration newTimeout) {
        return new RevocationSettings(newTimeout, maxCrlBytes, maxOcspBytes, failureBackoff, crlMaxAge, ocspMaxAge, clockSkew);
    }

    public RevocationSettings withFailureBackoff(Duration backoff) {
        return new RevocationSettings(timeout, maxCrlBytes, maxOcspBytes, backoff, crlMaxAge, ocspMaxAge, clockSkew);
    }
}
