package org.sealgate.routes.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how to look for S/MIME certificates in LDAP directories.
 *
 * @param servers   {@code host:port}, tried in order (fail-over: the next when one cannot be reached)
 * @param security  LDAPS, STARTTLS, or PLAIN (plain lets an observer suppress or read look-ups; answers are
 *                  validated either way, so it cannot plant keys)
 * @param tls       the trust for LDAPS/StartTLS (server certificate checked against the host name)
 * @param baseDn    search base, e.g. {@code ou=people,dc=partner,dc=example}
 * @param filter    search filter with {@code {0}} for the (escaped) address, e.g. {@code (mail={0})}
 * @param timeout   connect + response bound for one look-up
 */
public record LdapSettings(List<String> servers, Security security, SSLContext tls, String baseDn, String filter,
                           Duration timeout) {

    /** How the connection is protected. */
    public enum Security { LDAPS, STARTTLS, PLAIN }

    public LdapSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("LDAP key discovery needs at least one server");
        }
        servers.forEach(LdapSettings::port);
        Objects.requireNonNull(security, "security");
        if (security != Security.PLAIN) {
            Objects.requireNonNull(tls, "tls");
        }
        Objects.requireNonNull(baseDn, "baseDn");
        if (filter == null || !filter.contains("{0}")) {
            throw new IllegalArgumentException("the LDAP filter must contain {0} for the address");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    static String host(String server) {
        return server.substring(0, server.lastIndexOf(':'));
    }

    static int port(String server) {
        int colon = server.lastIndexOf(':');
        try {
            int port = Integer.parseInt(server.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LDAP server must be host:port, got " + server);
        }
    }
}
