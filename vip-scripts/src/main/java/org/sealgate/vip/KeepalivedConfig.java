package org.sealgate.vip;

import java.util.Locale;
import java.util.Optional;

import org.sealgate.zk.config.ClusterConfig;
import org.sealgate.zk.config.NetworkAddresses;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.config.VipAuthentication;
import org.sealgate.zk.config.VipSettings;

/**
 * Renders one node's {@code keepalived.conf} from a validated cluster document: one VRRP instance holding the VIP,
 * the node's priority (the document makes the primary's the highest), a health check of the local portal that
 * puts the node in FAULT when it fails ({@code weight 0}), and the notify script reading keepalived's FIFO. Kept
 * as small as keepalived's own samples. Every value written comes from the validated document (addresses, interface
 * and ids are checked there against strict patterns) or from {@link KeepalivedOptions} (checked likewise), so no
 * value can add a line.
 */
public final class KeepalivedConfig {
    static final String INSTANCE = "sealgate_vip";
    static final String CHECK = "sealgate_portal";
    /** keepalived's notify FIFO, in the state directory (keepalived makes it, root-only writable). */
    static final String FIFO = "notify.fifo";
    static final String HIDDEN = "********";

    private KeepalivedConfig() {
    }

    /**
     * @param version the configuration version the document is, named in the file's header
     * @throws IllegalArgumentException when the document does not list the node, or asks for a VRRP password
     *                                  the options do not have
     */
    public static String render(ClusterConfig config, String nodeId, int version, KeepalivedOptions options) {
        NodeEntry node = config.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("node '" + nodeId + "' is not in the cluster document (nodes: "
                + String.join(", ", config.nodes().stream().map(NodeEntry::id).toList()) + ")"));
        VipSettings vip = config.vip();
        if (vip.networkInterface().equals("lo")) {
            throw new IllegalArgumentException("vip.interface is lo: keepalived runs no VRRP on the loopback interface;"
                + " name the interface the nodes share a network on");
        }
        Optional<String> password = Optional.empty();
        if (vip.authentication() == VipAuthentication.PASS) {
            password = Optional.of(options.authPass().orElseThrow(() -> new IllegalArgumentException(
                "the document asks for VRRP authentication: pass, and no password was given (node-local file, e.g. "
                    + KeepalivedOptions.DEFAULT_AUTH_PASS_FILE + ")")));
        }
        boolean ipv6 = NetworkAddresses.isIpv6(vip.address());
        // VRRPv2 is IPv4 only and counts whole seconds; keepalived speaks v3 for anything else.
        boolean version3 = vip.needsVrrpVersion3() || ipv6;
        int port = options.portalPort().orElse(config.gina().port());
        String healthUrl = (ipv6 ? "https://[::1]:" : "https://127.0.0.1:") + port + "/healthz";

        StringBuilder out = new StringBuilder();
        out.append("# keepalived.conf of Sealgate node ").append(node.id()).append(", rendered from cluster configuration version ")
            .append(version).append(".\n# Written by 'sealgate vip render|watch'; edit the cluster document instead.\n\n");
        out.append("global_defs {\n");
        out.append("    router_id sealgate_").append(node.id().replace('-', '_')).append('\n');
        // Scripts run only if no one but root can change them; without script_user keepalived drops the check
        // silently (measured with Debian's keepalived 2.2.7).
        out.append("    enable_script_security\n");
        out.append("    script_user root\n");
        if (version3) {
            out.append("    vrrp_version 3\n");
        }
        // One reader of keepalived's FIFO records the changes in order; a plain notify script runs once per change,
        // unwaited, and two quick changes could finish in the wrong order (notify.sh says more).
        out.append("    vrrp_notify_fifo ").append(options.state().resolve(FIFO)).append('\n');
        out.append("    vrrp_notify_fifo_script \"").append(options.scripts().resolve("notify.sh")).append(' ')
            .append(options.state()).append("\"\n");
        out.append("}\n\n");
        out.append("vrrp_script ").append(CHECK).append(" {\n");
        out.append("    script \"").append(options.scripts().resolve("check-portal.sh")).append(' ').append(healthUrl).append("\"\n");
        out.append("    interval 1\n    timeout 2\n    fall 2\n    rise 2\n");
        out.append("    weight 0    # a failing portal puts this node in FAULT: the VIP moves\n");
        out.append("}\n\n");
        out.append("vrrp_instance ").append(INSTANCE).append(" {\n");
        // BACKUP everywhere: priorities decide; nopreempt is only honoured for an initial state of BACKUP.
        out.append("    state BACKUP\n");
        out.append("    interface ").append(vip.networkInterface()).append('\n');
        out.append("    virtual_router_id ").append(vip.virtualRouterId()).append('\n');
        out.append("    priority ").append(node.priority()).append("    # role ")
            .append(node.role().name().toLowerCase(Locale.ROOT)).append('\n');
        out.append("    advert_int ").append(interval(vip.advertInterval())).append('\n');
        if (!vip.preempt()) {
            out.append("    nopreempt\n");
        }
        password.ifPresent(p -> out.append("    authentication {\n        auth_type PASS\n        auth_pass ").append(p)
            .append("\n    }\n"));
        out.append("    virtual_ipaddress {\n        ").append(vip.address()).append(ipv6 ? "/128" : "/32")
            .append(" dev ").append(vip.networkInterface()).append("\n    }\n");
        out.append("    track_script {\n        ").append(CHECK).append("\n    }\n");
        out.append("}\n");
        return out.toString();
    }

    /** The same text with the VRRP password replaced, for printing to a terminal or a log. */
    public static String masked(String rendered) {
        return rendered.replaceAll("(?m)^(\\s*auth_pass )\\S+$", "$1" + HIDDEN);
    }

    static String interval(double seconds) {
        if (seconds == Math.rint(seconds)) {
            return Long.toString((long) seconds);
        }
        return new java.math.BigDecimal(Double.toString(seconds)).stripTrailingZeros().toPlainString();
    }
}
