package org.sealgate.zk.tls;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.zookeeper.server.auth.ProviderRegistry;

/**
 * The {@code zoo.cfg} keys of a ZooKeeper server that serves clients over TLS only: a secure client port and no
 * plaintext one, Netty, the server's certificate, the cluster CA, a client certificate REQUIRED
 * ({@code ssl.clientAuth=need}: without one from the CA nobody even reaches digest authentication), TLS 1.2+.
 * Clients' certificates are identities, not hosts, so client host names are not checked.
 *
 * <p>ZooKeeper reads its server-side TLS settings from system properties (its {@code QuorumPeerConfig} copies
 * these keys there), so there is one TLS server configuration per JVM; {@link #activate()} makes the x509
 * authentication provider (which checks the client chain after the handshake) pick up the current one.
 */
public final class ZkTlsServerConfig {
    private ZkTlsServerConfig() {
    }

    /** Adds the TLS keys to {@code config} (which must have no {@code clientPort}): clients on {@code address:port}. */
    public static Properties secureOnly(Properties config, String address, int port, Path keystore, Path keystorePasswordFile,
                                        Path truststore) {
        if (config.containsKey("clientPort") || config.containsKey("clientPortAddress")) {
            throw new IllegalArgumentException("a TLS-only server has no plaintext clientPort");
        }
        config.setProperty("secureClientPort", Integer.toString(port));
        config.setProperty("secureClientPortAddress", address);
        config.setProperty("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
        config.setProperty("ssl.keyStore.location", keystore.toString());
        config.setProperty("ssl.keyStore.type", ZkTlsSettings.storeType(keystore));
        config.setProperty("ssl.keyStore.passwordPath", keystorePasswordFile.toString());
        config.setProperty("ssl.trustStore.location", truststore.toString());
        config.setProperty("ssl.trustStore.type", ZkTlsSettings.storeType(truststore));
        config.setProperty("ssl.clientAuth", "need");
        config.setProperty("ssl.enabledProtocols", ZkTlsSettings.ENABLED_PROTOCOLS);
        config.setProperty("ssl.protocol", "TLSv1.3");
        config.setProperty("ssl.clientHostnameVerification", "false");
        config.setProperty("authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        return config;
    }

    /**
     * After the server's configuration is parsed (system properties set) and before it starts: (re)creates the
     * x509 provider from them, so a second TLS server in a JVM (tests) does not check clients against the first
     * one's CA.
     */
    public static void activate() {
        ProviderRegistry.addOrUpdateProvider(ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + "x509");
    }

    /**
     * Removes the server TLS system properties after the server stopped, so later plaintext servers in the same
     * JVM (tests) start as they would in a fresh one.
     */
    public static void clearSystemProperties() {
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("zookeeper.ssl.") || key.equals("zookeeper.serverCnxnFactory")
                || key.equals(ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + "x509")) {
                System.clearProperty(key);
            }
        }
    }
}
