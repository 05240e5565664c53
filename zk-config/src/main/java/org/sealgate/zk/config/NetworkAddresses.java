package org.sealgate.zk.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Syntax checks for addresses, networks and names. Pure text checks on purpose: {@code InetAddress.getByName}
 * falls back to a DNS lookup for anything that is not a literal, and validation must never touch the network.
 */
public final class NetworkAddresses {
    private static final Pattern IPV4 = Pattern.compile(
        "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private NetworkAddresses() {
    }

    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    public static boolean isIpv6(String text) {
        String[] halves = text.split("::", -1);
        if (halves.length > 2 || text.isEmpty()) {
            return false;
        }
        int groups = 0;
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                boolean lastOfAll = h == halves.length - 1 && i == parts.length - 1;
                if (lastOfAll && isIpv4(parts[i])) {
                    groups += 2;
                } else if (HEX_GROUP.matcher(parts[i]).matches()) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return halves.length == 2 ? groups <= 7 : groups == 8;
    }

    public static boolean isIpLiteral(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    /** {@code address/prefix} with a prefix that fits the address family; a bare address means a single host. */
    public static boolean isCidr(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!isIpLiteral(address)) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}")) {
            return false;
        }
        return Integer.parseInt(prefix) <= (isIpv4(address) ? 32 : 128);
    }

    /** An RFC 1123 host name: dot-separated letter-digit-hyphen labels, at most 253 characters. */
    public static boolean isHostName(String text) {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A mail domain: a host name with at least two labels whose top-level label is not numeric. */
    public static boolean isDomainName(String text) {
        int dot = text.lastIndexOf('.');
        return isHostName(text) && dot > 0 && !text.substring(dot + 1).matches("\\d+");
    }

    /** {@code host:port} or {@code [ipv6]:port}; null when fine, otherwise what is wrong. */
    public static String hostPortProblem(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return "expected HOST:PORT, got '" + text + "'";
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        boolean hostOk = host.startsWith("[") && host.endsWith("]")
            ? isIpv6(host.substring(1, host.length() - 1))
            : isIpv4(host) || isHostName(host);
        if (!hostOk) {
            return "'" + host + "' is neither a host name nor an IP address (IPv6 in brackets)";
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "port '" + port + "' is not between 1 and 65535";
        }
        return null;
    }
}
