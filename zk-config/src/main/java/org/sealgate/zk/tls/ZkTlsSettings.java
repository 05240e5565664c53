package org.sealgate.zk.tls;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * How one client speaks TLS to ZooKeeper: its own certificate (PKCS#12 key store, password in an owner-only file),
 * the cluster CA as trust store (PEM, or PKCS#12/JKS with a password file), and whether the server's certificate
 * must name the host of the connect string (on unless switched off). The same {@code zk.tls.*} keys serve
 * {@code sealgate.properties}, {@code gina.properties} and a CLI client file ({@code --zk-tls FILE}):
 *
 * <pre>
 * zk.tls.keystore = zk-tls/node.p12                      # this identity's key and certificate chain
 * zk.tls.keystore.password-file = zk-tls/node.p12.password
 * zk.tls.truststore = zk-tls/ca.pem                      # the cluster CA: only servers it issued are trusted
 * zk.tls.truststore.password-file = ...                  # only for a PKCS#12/JKS trust store
 * zk.tls.hostname-verification = true
 * </pre>
 *
 * Settings go into a per-client {@link ZKClientConfig}, never JVM-wide system properties: the node, the portal and
 * the CLI may share a JVM (the demo) and each keeps its own identity.
 */
public record ZkTlsSettings(Path keystore, Path keystorePasswordFile, Path truststore,
                            Optional<Path> truststorePasswordFile, boolean hostnameVerification) {
    public static final String KEYSTORE = "zk.tls.keystore";
    public static final String KEYSTORE_PASSWORD_FILE = "zk.tls.keystore.password-file";
    public static final String TRUSTSTORE = "zk.tls.truststore";
    public static final String TRUSTSTORE_PASSWORD_FILE = "zk.tls.truststore.password-file";
    public static final String HOSTNAME_VERIFICATION = "zk.tls.hostname-verification";
    /** TLS 1.3 first, 1.2 for older peers; nothing older. */
    public static final String ENABLED_PROTOCOLS = "TLSv1.3,TLSv1.2";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /**
     * The {@code zk.tls.*} keys of a properties file, paths relative to {@code base}; empty when none is set
     * (plaintext ZooKeeper). Half a configuration is an error, never a silent fall-back to plaintext.
     */
    public static Optional<ZkTlsSettings> from(Properties properties, Path base) throws IOException {
        Optional<String> keystore = value(properties, KEYSTORE);
        Optional<String> keystorePassword = value(properties, KEYSTORE_PASSWORD_FILE);
        Optional<String> truststore = value(properties, TRUSTSTORE);
        Optional<String> truststorePassword = value(properties, TRUSTSTORE_PASSWORD_FILE);
        Optional<String> verification = value(properties, HOSTNAME_VERIFICATION);
        if (keystore.isEmpty() && keystorePassword.isEmpty() && truststore.isEmpty() && truststorePassword.isEmpty()
            && verification.isEmpty()) {
            return Optional.empty();
        }
        if (keystore.isEmpty() || keystorePassword.isEmpty() || truststore.isEmpty()) {
            throw new IOException("ZooKeeper TLS needs " + KEYSTORE + ", " + KEYSTORE_PASSWORD_FILE + " and " + TRUSTSTORE
                + " together (a client certificate is required by the server)");
        }
        String verify = verification.orElse("true").toLowerCase(Locale.ROOT);
        if (!verify.equals("true") && !verify.equals("false")) {
            throw new IOException(HOSTNAME_VERIFICATION + " is true or false, not '" + verify + "'");
        }
        ZkTlsSettings settings = new ZkTlsSettings(base.resolve(keystore.get()), base.resolve(keystorePassword.get()),
            base.resolve(truststore.get()), truststorePassword.map(base::resolve), verify.equals("true"));
        settings.check();
        return Optional.of(settings);
    }

    /** Reads a client file of {@code zk.tls.*} keys ({@code --zk-tls FILE}); paths relative to its directory. */
    public static ZkTlsSettings fromFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return from(properties, file.toAbsolutePath().getParent())
            .orElseThrow(() -> new IOException(file + ": no " + KEYSTORE + " (not a ZooKeeper TLS client file)"));
    }

    /**
     * The files exist, the password files (and the key store) are readable by their owner only, and the key store
     * opens with its password and holds a key: a bad file is reported now, by name, rather than as a ZooKeeper
     * connection that never comes up.
     */
    public void check() throws IOException {
        ownerOnly(keystore);
        ownerOnly(keystorePasswordFile);
        if (!Files.isReadable(truststore)) {
            throw new IOException("ZooKeeper TLS trust store " + truststore + " is missing or unreadable");
        }
        if (truststorePasswordFile.isPresent()) {
            ownerOnly(truststorePasswordFile.get());
        }
        if (!storeType(keystore).equals("PEM")) {
            char[] password = Files.readString(keystorePasswordFile).strip().toCharArray();
            try (var in = Files.newInputStream(keystore)) {
                java.security.KeyStore store = java.security.KeyStore.getInstance(storeType(keystore));
                store.load(in, password);
                boolean hasKey = false;
                for (String alias : java.util.Collections.list(store.aliases())) {
                    hasKey |= store.isKeyEntry(alias);
                }
                if (!hasKey) {
                    throw new IOException("ZooKeeper TLS key store " + keystore + " holds no private key");
                }
            } catch (java.security.GeneralSecurityException | IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("holds no private key")) {
                    throw (IOException) e;
                }
                throw new IOException("ZooKeeper TLS key store " + keystore + " does not open with the password in "
                    + keystorePasswordFile + " (" + e.getClass().getSimpleName() + ")", e);
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /** A fresh client configuration: Netty socket, TLS only, this identity, this CA. */
    public ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        try (ClientX509Util x509 = new ClientX509Util()) {
            config.setProperty(x509.getSslKeystoreLocationProperty(), keystore.toString());
            config.setProperty(x509.getSslKeystoreTypeProperty(), storeType(keystore));
            // An empty password property makes ZooKeeper read the password file (and never one inherited from a
            // server's system properties in the same JVM).
            config.setProperty(x509.getSslKeystorePasswdProperty(), "");
            config.setProperty(x509.getSslKeystorePasswdPathProperty(), keystorePasswordFile.toString());
            config.setProperty(x509.getSslTruststoreLocationProperty(), truststore.toString());
            config.setProperty(x509.getSslTruststoreTypeProperty(), storeType(truststore));
            config.setProperty(x509.getSslTruststorePasswdProperty(), "");
            config.setProperty(x509.getSslTruststorePasswdPathProperty(), truststorePasswordFile.map(Path::toString).orElse(""));
            config.setProperty(x509.getSslEnabledProtocolsProperty(), ENABLED_PROTOCOLS);
            config.setProperty(x509.getSslProtocolProperty(), "TLSv1.3");
            config.setProperty(x509.getSslHostnameVerificationEnabledProperty(), Boolean.toString(hostnameVerification));
        }
        return config;
    }

    /** What an operator sees: the files, never their content. */
    @Override
    public String toString() {
        return "ZooKeeper TLS (key store " + keystore + ", trust store " + truststore
            + (hostnameVerification ? "" : ", hostname verification OFF") + ")";
    }

    static String storeType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pem") || name.endsWith(".crt")) {
            return "PEM";
        }
        if (name.endsWith(".jks")) {
            return "JKS";
        }
        return "PKCS12";
    }

    private static void ownerOnly(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("ZooKeeper TLS file " + file + " is missing or unreadable");
        }
        if (POSIX && Files.getPosixFilePermissions(file).stream().anyMatch(OTHERS::contains)) {
            throw new IOException(file + " is readable or writable by others; make it owner-only (chmod 600)");
        }
    }

    private static Optional<String> value(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
