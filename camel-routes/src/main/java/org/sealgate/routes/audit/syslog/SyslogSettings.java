package org.sealgate.routes.audit.syslog;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where audit events go besides the JSON lines: one RFC 5424 collector.
 *
 * @param host      the collector; for TLS also the name (or IP) its certificate must carry
 * @param port      514 for UDP/TCP, 6514 for TLS by convention
 * @param protocol  UDP (RFC 5426), TCP (octet counting, RFC 6587) or TLS (RFC 5425, TLS 1.2+)
 * @param facility  0..23; default 13, "log audit"
 * @param appName   APP-NAME field, printable ASCII without spaces, at most 48
 * @param hostName  HOSTNAME field: this node's name
 * @param trustedCa PEM file of the CA(s) that may sign the collector's certificate; required for TLS
 * @param queueSize events waiting for the collector; beyond it new events are dropped (and counted), never waited for
 */
public record SyslogSettings(String host, int port, Protocol protocol, int facility, String appName, String hostName,
                             Optional<Path> trustedCa, int queueSize) {

    public enum Protocol { UDP, TCP, TLS;

        public static Protocol parse(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        }
    }

    private static final String PRINTABLE = "[\\x21-\\x7e]";

    public SyslogSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        if (host.isBlank()) {
            throw new IllegalArgumentException("syslog host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("syslog port is not a port: " + port);
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility is 0..23: " + facility);
        }
        if (!appName.matches(PRINTABLE + "{1,48}")) {
            throw new IllegalArgumentException("syslog app-name is 1..48 printable ASCII characters without spaces");
        }
        if (!hostName.matches(PRINTABLE + "{1,255}")) {
            throw new IllegalArgumentException("syslog host name is 1..255 printable ASCII characters without spaces");
        }
        if (protocol == Protocol.TLS && trustedCa.isEmpty()) {
            throw new IllegalArgumentException("syslog over TLS needs the CA that signs the collector's certificate");
        }
        if (queueSize < 1 || queueSize > 1_000_000) {
            throw new IllegalArgumentException("syslog queue size is 1..1000000: " + queueSize);
        }
    }
}
