package org.sealgate.zk.config;

/**
 * The VRRP virtual address shared by the nodes (keepalived); the {@code vip-scripts} module renders it.
 *
 * @param networkInterface written {@code interface} in the document; a Java keyword, hence the longer name
 * @param advertInterval   seconds between VRRP advertisements; a fraction (e.g. {@code 0.2}, centisecond steps, at
 *                         most 40.95) needs VRRP version 3, which keepalived then speaks; a backup takes over about
 *                         three intervals after the last advertisement it heard
 * @param preempt          the primary takes the VIP back when it returns ({@code false}: whoever holds it keeps it)
 * @param authentication   {@code none} (default) or {@code pass}: VRRPv2's password, sent in clear in every
 *                         advertisement and removed in VRRPv3; the password is node-local, never in the document
 */
public record VipSettings(String address,
                          @YamlName("interface") String networkInterface,
                          int virtualRouterId,
                          @DefaultValue("1") double advertInterval,
                          @DefaultValue("true") boolean preempt,
                          @DefaultValue("none") VipAuthentication authentication) {

    /** The defaults for everything but address, interface and router id. */
    public VipSettings(String address, String networkInterface, int virtualRouterId) {
        this(address, networkInterface, virtualRouterId, 1, true, VipAuthentication.NONE);
    }

    /** A whole number of seconds fits VRRP version 2; anything finer needs version 3. */
    public boolean needsVrrpVersion3() {
        return advertInterval != Math.rint(advertInterval);
    }
}
