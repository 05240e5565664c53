package org.sealgate.zk.config;

/**
 * How VRRP advertisements are authenticated. Neither value protects against a host on the VRRP segment: {@code pass}
 * puts the password in clear in every advertisement (RFC 3768 §5.3.6.1 itself calls it no protection against
 * hostile hosts) and VRRPv3 (RFC 5798) dropped authentication altogether. The defence is a segment only the
 * cluster's nodes can send on; {@code pass} only keeps a second, misconfigured cluster with the same router id
 * from taking part.
 */
public enum VipAuthentication {
    NONE, PASS
}
