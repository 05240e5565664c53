package org.sealgate.zk.config;

/**
 * The VRRP virtual address shared by the nodes (keepalived).
 *
 * @param networkInterface written {@code interface} in the document; a Java keyword, hence the longer name
 */
public record VipSettings(String address,
                          @YamlName("interface") String networkInterface,
                          int virtualRouterId) {
}
