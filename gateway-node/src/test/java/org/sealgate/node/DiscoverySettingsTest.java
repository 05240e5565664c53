package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.routes.discovery.KeySource;

class DiscoverySettingsTest {
    @TempDir
    Path data;

    @Test
    void withoutDiscoverySettingsOnlyWkdShouldBeAvailableWithTheDefaultBounds() throws Exception {
        write("");

        DiscoverySettings settings = DiscoverySettings.load(data);

        assertThat(settings.bound()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.sources()).extracting(KeySource::name).containsExactly("wkd");
        assertThat(settings.sources().get(0).timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.ldap()).isEmpty();
    }

    @Test
    void configuredKeyServersAndDirectoryShouldBecomeSourcesWithTheirTimeouts() throws Exception {
        write("""
            discovery.bound-ms = 3000
            discovery.hkp.servers = vks:https://keys.openpgp.org, https://pgp.partner.example:443
            discovery.hkp.timeout-ms = 1200
            discovery.ldap.servers = ldap1.partner.example:636, ldap2.partner.example:636
            discovery.ldap.base = ou=people,dc=partner,dc=example
            """);

        DiscoverySettings settings = DiscoverySettings.load(data);

        assertThat(settings.bound()).isEqualTo(Duration.ofSeconds(3));
        List<KeySource> sources = settings.sources();
        assertThat(sources).extracting(KeySource::name).containsExactly("wkd", "hkp", "ldap");
        assertThat(sources.get(1).timeout()).isEqualTo(Duration.ofMillis(1200));
        assertThat(settings.hkpServers()).extracting(Object::toString)
            .containsExactly("vks:https://keys.openpgp.org", "https://pgp.partner.example:443");
        assertThat(settings.ldap().orElseThrow().security().name()).isEqualTo("LDAPS");
        assertThat(settings.ldap().orElseThrow().filter()).isEqualTo("(mail={0})");
    }

    @Test
    void plainHttpKeyServerOrBadNumbersShouldStopTheStartWithTheSettingNamed() throws Exception {
        write("discovery.hkp.servers = http://keys.example\n");
        assertThatThrownBy(() -> DiscoverySettings.load(data)).isInstanceOf(IOException.class)
            .hasMessageContaining("discovery.hkp.allow-plain-http=true");

        write("discovery.bound-ms = 0\n");
        assertThatThrownBy(() -> DiscoverySettings.load(data)).isInstanceOf(IOException.class)
            .hasMessageContaining("discovery.bound-ms must be at least 1");

        write("discovery.tls.trust = missing.pem\n");
        assertThatThrownBy(() -> DiscoverySettings.load(data).sources()).isInstanceOf(IOException.class)
            .hasMessageContaining("discovery.tls.trust");
    }

    private void write(String more) throws IOException {
        new NodeSettings("gateway.test", "127.0.0.1", 2525, List.of("127.0.0.1/32"), List.of("demo.sealgate.test"),
            Optional.empty(), 51200, true).save(data);
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), more, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
    }
}
