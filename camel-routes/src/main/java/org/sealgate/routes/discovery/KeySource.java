package org.sealgate.routes.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.sealgate.keys.discovery.DiscoveryCandidate;

/**
 * One outside place keys may be published (WKD, an LDAP directory). Each runs behind its own Camel route and is
 * given up after its own timeout. Answers are raw candidates: the caller validates every one of them.
 */
public interface KeySource {

    /** The name used in the per-domain order setting and in audit reasons, e.g. {@code wkd}, {@code ldap}. */
    String name();

    /** How long one look-up may take before it is given up (the source should also stop by itself by then). */
    Duration timeout();

    /** The candidates published for the address; empty when the source has none. */
    List<DiscoveryCandidate> fetch(String address) throws IOException;
}
