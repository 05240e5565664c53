package org.sealgate.smtp;

import java.util.List;

/**
 * The client networks (CIDR) that may relay through the gateway now: the cluster document's
 * {@code trusted-networks}, else {@code smtp.trusted-networks} of {@code sealgate.properties}. Read at each
 * connection and each {@code MAIL FROM} by {@link TrustedClients}, so a change applies without restart.
 */
@FunctionalInterface
public interface TrustedNetworks {
    List<String> networks();
}
