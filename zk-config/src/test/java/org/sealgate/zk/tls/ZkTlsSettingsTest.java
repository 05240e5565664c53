package org.sealgate.zk.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code zk.tls.*} keys: all or nothing, owner-only secrets, and a per-client configuration. */
class ZkTlsSettingsTest {
    @TempDir
    Path pki;

    @BeforeEach
    void issue() throws IOException {
        ZkTlsAuthority.create(pki, "Test CA", Instant.now()).issue("node", List.of(), Instant.now());
    }

    @Test
    void noTlsKeysShouldMeanPlaintext() throws IOException {
        assertThat(ZkTlsSettings.from(new Properties(), pki)).isEmpty();
    }

    @Test
    void halfAConfigurationShouldBeRefusedRatherThanFallingBackToPlaintext() {
        Properties properties = new Properties();
        properties.setProperty(ZkTlsSettings.TRUSTSTORE, "ca.pem");
        assertThatThrownBy(() -> ZkTlsSettings.from(properties, pki)).isInstanceOf(IOException.class)
            .hasMessageContaining(ZkTlsSettings.KEYSTORE);
    }

    @Test
    void aPasswordFileReadableByOthersShouldBeRefused() throws IOException {
        Files.setPosixFilePermissions(pki.resolve("node.p12.password"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ZkTlsSettings.fromFile(pki.resolve("node.properties"))).isInstanceOf(IOException.class)
            .hasMessageContaining("owner-only");
    }

    @Test
    void aKeyStoreThatDoesNotOpenWithItsPasswordShouldBeNamedAtOnce() throws IOException {
        Files.writeString(pki.resolve("node.p12.password"), "not-the-password\n");
        assertThatThrownBy(() -> ZkTlsSettings.fromFile(pki.resolve("node.properties"))).isInstanceOf(IOException.class)
            .hasMessageContaining("node.p12 does not open with the password in");
    }

    @Test
    void clientConfigurationShouldBeTlsOnlyWithHostnameVerificationAndNoPasswordInIt() throws IOException {
        ZkTlsSettings settings = ZkTlsSettings.fromFile(pki.resolve("node.properties"));
        ZKClientConfig config = settings.clientConfig();

        assertThat(config.getBoolean(ZKClientConfig.SECURE_CLIENT)).isTrue();
        assertThat(config.getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET)).isEqualTo("org.apache.zookeeper.ClientCnxnSocketNetty");
        assertThat(config.getProperty("zookeeper.ssl.enabledProtocols")).isEqualTo("TLSv1.3,TLSv1.2");
        assertThat(config.getProperty("zookeeper.ssl.hostnameVerification")).isEqualTo("true");
        assertThat(config.getProperty("zookeeper.ssl.keyStore.passwordPath")).isEqualTo(pki.resolve("node.p12.password").toString());
        assertThat(config.getProperty("zookeeper.ssl.keyStore.password")).isEmpty();
        assertThat(settings.toString()).doesNotContain(Files.readString(pki.resolve("node.p12.password")).strip());
        // Per client: nothing leaks into the JVM for other clients.
        assertThat(System.getProperty(ZKClientConfig.SECURE_CLIENT)).isNull();
    }
}
