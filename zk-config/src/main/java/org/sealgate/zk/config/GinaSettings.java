package org.sealgate.zk.config;

/** Where recipients reach the GINA portal: the name in links and certificates, and the HTTPS port. */
public record GinaSettings(String hostName, @DefaultValue("8443") int port) {
}
