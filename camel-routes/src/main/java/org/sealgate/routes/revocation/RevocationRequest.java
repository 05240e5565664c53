package org.sealgate.routes.revocation;

import java.net.URI;
import java.time.Duration;

/** One CRL GET ({@code body} null) or OCSP POST, with its bounds, as the revocation routes carry it. */
record RevocationRequest(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) {
}
