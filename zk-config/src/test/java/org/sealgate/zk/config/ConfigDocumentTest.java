package org.sealgate.zk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.Fallback;
import org.sealgate.policy.Method;
import org.sealgate.policy.Setting;
import org.sealgate.policy.TransportSecurity;

class ConfigDocumentTest {

    @Test
    void parseShouldReadEveryPartOfAValidDocumentWithDefaults() throws Exception {
        ConfigDocument document = ConfigDocument.parse(Documents.valid("required"));
        ClusterConfig config = document.config();

        DomainConfig example = config.domain("EXAMPLE.com").orElseThrow();
        assertThat(example.encrypt()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(example.tls()).isEqualTo(TransportSecurity.REQUIRED);
        DomainConfig legacy = config.domain("legacy.example").orElseThrow();
        assertThat(legacy.encrypt()).isEqualTo(EncryptionMode.OPPORTUNISTIC);
        assertThat(legacy.setting(Setting.ENCRYPT)).as("not written, so not set in this scope").isEmpty();
        assertThat(legacy.sign()).isTrue();
        assertThat(legacy.contentEncryption()).isEqualTo(ContentEncryption.AES256_CBC);
        assertThat(legacy.rsaKeyTransport()).isEqualTo(RsaKeyTransport.PKCS1_V15);
        assertThat(legacy.fallback()).isEqualTo(Fallback.HOLD);
        assertThat(config.trustedNetworks()).containsExactly("10.0.0.0/8", "192.168.1.0/24", "fd00::/8");
        assertThat(config.nextHop()).contains("mail.internal.example:25");
        assertThat(config.gina()).isEqualTo(new GinaSettings("gina.example.com", 8443));
        assertThat(config.vip()).isEqualTo(new VipSettings("198.18.0.100", "eth0", 51));
        assertThat(config.nodes()).containsExactly(
            new NodeEntry("node-a", List.of("198.18.0.9"), NodeRole.PRIMARY, 150),
            new NodeEntry("node-b", List.of("198.18.0.10"), NodeRole.SECONDARY, 100));
        assertThat(document.text()).startsWith("# Sealgate cluster configuration");
    }

    @Test
    void parseShouldReadADomainsMethodOrderAndLeaveItEmptyWhenAbsent() throws Exception {
        String document = Documents.valid("required").replace("  - name: legacy.example\n",
            "  - name: legacy.example\n    methods: [smime, pgp, gina]\n");
        ClusterConfig config = ConfigDocument.parse(document).config();

        assertThat(config.domain("legacy.example").orElseThrow().methods())
            .containsExactly(Method.SMIME, Method.PGP, Method.GINA);
        assertThat(config.domain("example.com").orElseThrow().methods()).isEmpty();
        assertThatThrownBy(() -> ConfigDocument.parse(document.replace("gina]", "carrier-pigeon]")))
            .hasMessageContaining("carrier-pigeon");
    }

    @Test
    void parseShouldReadTheKeyDiscoveryOrderAndDefaultItToOff() throws Exception {
        String document = Documents.valid("required").replace("  - name: legacy.example\n",
            "  - name: legacy.example\n    key-discovery: [wkd, ldap]\n");
        ClusterConfig config = ConfigDocument.parse(document).config();

        assertThat(config.domain("legacy.example").orElseThrow().keyDiscovery()).containsExactly("wkd", "ldap");
        assertThat(config.domain("example.com").orElseThrow().keyDiscovery()).isEmpty();
        assertThatThrownBy(() -> ConfigDocument.parse(document.replace("[wkd, ldap]", "[wkd, ftp]")))
            .hasMessageContaining("'key-discovery' must be one of [wkd, hkp, ldap], got 'ftp'");
        assertThatThrownBy(() -> ConfigDocument.parse(document.replace("[wkd, ldap]", "[ldap, ldap]")))
            .hasMessageContaining("lists 'ldap' twice");
    }

    @Test
    void parseShouldReadUseHarvestedKeysAndDefaultItToNever() throws Exception {
        String document = Documents.valid("required").replace("  - name: legacy.example\n",
            "  - name: legacy.example\n    use-harvested-keys: true\n");
        ClusterConfig config = ConfigDocument.parse(document).config();

        assertThat(config.domain("legacy.example").orElseThrow().useHarvestedKeys()).isTrue();
        assertThat(config.domain("example.com").orElseThrow().useHarvestedKeys()).isFalse();
    }

    @Test
    void parseShouldAcceptTheStarDefaultAndWildcardDomainsButNoOtherPatterns() throws Exception {
        String document = Documents.valid("required").replace("  - name: legacy.example\n",
            "  - name: \"*\"\n    methods: [smime, gina]\n  - name: \"*.bank.example\"\n  - name: legacy.example\n");
        ClusterConfig config = ConfigDocument.parse(document).config();

        assertThat(config.domain("*").orElseThrow().methods()).containsExactly(Method.SMIME, Method.GINA);
        assertThat(config.domain("*.bank.example")).isPresent();
        assertThatThrownBy(() -> ConfigDocument.parse(document.replace("\"*.bank.example\"", "\"bank.*.example\"")))
            .hasMessageContaining("'bank.*.example' is not a domain name");
    }

    @Test
    void parseShouldReadOffAsAnEncryptionModeNotAsABoolean() throws Exception {
        assertThat(ConfigDocument.parse(Documents.valid("off")).config().domain("example.com").orElseThrow().encrypt())
            .isEqualTo(EncryptionMode.OFF);
    }

    @Test
    void parseShouldReadNotificationsWithTheDefaultWarningDaysAndRefuseABadAddress() throws Exception {
        assertThat(ConfigDocument.parse(Documents.valid()).config().notifications()).isEmpty();
        String with = Documents.valid() + "notifications:\n  admin-address: pki@example.com\n";
        assertThat(ConfigDocument.parse(with).config().notifications())
            .contains(new NotificationSettings("pki@example.com", 30));
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid()
            + "notifications:\n  admin-address: \"pki@example.com\\nBcc: x@evil\"\n  expiry-warning-days: 0\n"))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("notifications.admin-address")
            .hasMessageContaining("notifications.expiry-warning-days");
    }

    @Test
    void parseShouldCollectEverySchemaErrorWithPathAndLine() {
        String document = Documents.valid()
            .replace("    sign: true\n", "    sign: true\n    colour: blue\n")          // unknown field
            .replace("  port: 8443", "  port: high")                                    // wrong type
            .replace("    priority: 100\n", "");                                        // missing required

        assertThatThrownBy(() -> ConfigDocument.parse(document))
            .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors())
                .extracting(ConfigError::toString)
                .containsExactly(
                    "domains[0].colour (line 7, column 5): unknown field 'colour' (known here: name, "
                        + Setting.knownNames() + ")",
                    "gina.port (line 20, column 9): expected an integer, got the string 'high'",
                    "nodes[1].priority (line 30, column 5): missing required field 'priority'"));
    }

    @Test
    void parseShouldNameTheAllowedValuesOfAnEnumField() {
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid("always")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("domains[0].encrypt (line 5, column 14): 'encrypt' must be one of"
                + " [off, opportunistic, required], got 'always'");
    }

    @Test
    void parseShouldCollectEverySemanticErrorWithPathAndLine() {
        String document = Documents.valid()
            .replace("name: legacy.example", "name: legacy..example")
            .replace("10.0.0.0/8", "10.0.0.0/33")
            .replace("next-hop: mail.internal.example:25", "next-hop: mail.internal.example")
            .replace("virtual-router-id: 51", "virtual-router-id: 300")
            .replace("[198.18.0.10]", "[198.18.0.300]")
            .replace("role: secondary\n    priority: 100", "role: primary\n    priority: 150");

        assertThatThrownBy(() -> ConfigDocument.parse(document))
            .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors())
                .extracting(ConfigError::toString)
                .containsExactly(
                    "domains[1].name (line 11, column 11): 'legacy..example' is not a domain name, a wildcard like"
                        + " *.example.org, * (every other domain) or an address",
                    "trusted-networks[0] (line 15, column 20): '10.0.0.0/33' is not a network in CIDR notation (e.g. 10.0.0.0/8)",
                    "next-hop (line 16, column 11): expected HOST:PORT, got 'mail.internal.example'",
                    "vip.virtual-router-id (line 23, column 22): must be between 1 and 255, got 300",
                    "nodes[1].addresses[0] (line 30, column 17): '198.18.0.300' is not an IPv4 or IPv6 address",
                    "nodes[1].role (line 31, column 11): a second primary; nodes[0] ('node-a') is already primary,"
                        + " exactly one is allowed",
                    "nodes[1].priority (line 32, column 15): priority 150 is also used by nodes[0] ('node-a');"
                        + " VRRP priorities must be unique"));
    }

    @Test
    void parseShouldRefuseAPrimaryWithoutTheHighestPriority() {
        String document = Documents.valid().replace("priority: 100", "priority: 200");

        assertThatThrownBy(() -> ConfigDocument.parse(document))
            .hasMessageContaining("nodes[0].priority (line 28, column 15): the primary 'node-a' has priority 150"
                + " but 'node-b' has 200; the primary must have the highest priority");
    }

    @Test
    void parseShouldRefuseADocumentWithoutPrimaryAndWithDuplicateIds() {
        String document = Documents.valid().replace("role: primary", "role: secondary").replace("id: node-b", "id: node-a");

        assertThatThrownBy(() -> ConfigDocument.parse(document))
            .hasMessageContaining("nodes[1].id (line 29, column 9): node id 'node-a' is used twice (first by nodes[0])")
            .hasMessageContaining("nodes (line 25, column 3): no node has role primary; exactly one is required");
    }

    @Test
    void parseShouldRefuseATruncatedUploadAsNotValidYaml() {
        String full = Documents.valid();
        String truncated = full.substring(0, full.indexOf("192.168.1.0/24"));

        assertThatThrownBy(() -> ConfigDocument.parse(truncated))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("document (line 15")
            .hasMessageContaining("not valid YAML, the document may be truncated or garbled");
    }

    @Test
    void parseShouldRefuseADocumentCutBetweenLinesAsIncomplete() {
        String full = Documents.valid();
        String truncated = full.substring(0, full.indexOf("vip:"));

        assertThatThrownBy(() -> ConfigDocument.parse(truncated))
            .hasMessageContaining("vip (line 2, column 1): missing required field 'vip'")
            .hasMessageContaining("nodes (line 2, column 1): missing required field 'nodes'");
    }

    @Test
    void vipShouldReadAdvertIntervalPreemptAndAuthenticationWithDefaults() throws Exception {
        VipSettings defaults = ConfigDocument.parse(Documents.valid()).config().vip();
        assertThat(defaults.advertInterval()).isEqualTo(1.0);
        assertThat(defaults.preempt()).isTrue();
        assertThat(defaults.authentication()).isEqualTo(VipAuthentication.NONE);
        assertThat(defaults.needsVrrpVersion3()).isFalse();

        VipSettings set = ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  advert-interval: 0.2\n  preempt: false")).config().vip();
        assertThat(set.advertInterval()).isEqualTo(0.2);
        assertThat(set.preempt()).isFalse();
        assertThat(set.needsVrrpVersion3()).isTrue();
        assertThat(ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  authentication: pass")).config().vip().authentication()).isEqualTo(VipAuthentication.PASS);
    }

    @Test
    void vipShouldRefuseAdvertIntervalsKeepalivedCannotSendAndAuthenticationVrrp3LacksWithLines() {
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  advert-interval: 0.005")))
            .hasMessageContaining("vip.advert-interval (line 24, column 20): must be whole seconds from 1 to 255, or 0.01 to"
                + " 40.95 in steps of 0.01 (VRRP version 3), got 0.005");
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  advert-interval: 300"))).hasMessageContaining("got 300.0");
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  advert-interval: fast"))).hasMessageContaining("expected a number, got the string 'fast'");
        assertThatThrownBy(() -> ConfigDocument.parse(Documents.valid().replace("virtual-router-id: 51",
            "virtual-router-id: 51\n  advert-interval: 0.5\n  authentication: pass")))
            .hasMessageContaining("vip.authentication")
            .hasMessageContaining("VRRP version 3 (needed for the fractional advert-interval 0.5) has no authentication");
    }

    @Test
    void parseShouldRefuseEmptyAndBinaryDocuments() {
        assertThatThrownBy(() -> ConfigDocument.parse("")).hasMessageContaining("the document is empty");
        assertThatThrownBy(() -> ConfigDocument.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}))
            .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> ConfigDocument.parse("- just\n- a list\n"))
            .hasMessageContaining("document (line 1, column 1): expected a mapping, got a list");
    }

    @Test
    void addressesShouldAcceptLiteralsAndRefuseNamesWithoutLookingThemUp() {
        assertThat(NetworkAddresses.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(NetworkAddresses.isIpLiteral("::ffff:192.0.2.1")).isTrue();
        assertThat(NetworkAddresses.isIpLiteral("1:2:3:4:5:6:7:8:9")).isFalse();
        assertThat(NetworkAddresses.isIpLiteral("mail.example.com")).isFalse();
        assertThat(NetworkAddresses.isCidr("2001:db8::/32")).isTrue();
        assertThat(NetworkAddresses.isCidr("2001:db8::/129")).isFalse();
        assertThat(NetworkAddresses.hostPortProblem("[2001:db8::1]:25")).isNull();
        assertThat(NetworkAddresses.hostPortProblem("mx.example:70000")).contains("not between 1 and 65535");
    }

    @Test
    void ginaSharedSettingsShouldDefaultToGinaPropertiesAndParseWhenWritten() throws Exception {
        assertThat(ConfigDocument.parse(Documents.valid()).config().gina())
            .isEqualTo(new GinaSettings("gina.example.com", 8443, 30, 8, 14, false, 20));
        String flow = Documents.valid().replace("  host-name: gina.example.com\n  port: 8443\n",
            "  {host-name: gina.example.com, port: 8443}\n").replace("gina:\n  {", "gina: {");
        assertThat(ConfigDocument.parse(flow).config().gina()).isEqualTo(new GinaSettings("gina.example.com", 8443));
        String written = Documents.valid().replace("  port: 8443\n", """
              port: 8443
              session-minutes: 1
              session-max-hours: 2
              first-password-days: 3
              self-service-reset: true
              replies-per-hour: 5
            """);
        assertThat(ConfigDocument.parse(written).config().gina())
            .isEqualTo(new GinaSettings("gina.example.com", 8443, 1, 2, 3, true, 5));
    }

    @Test
    void ginaSharedSettingsOutOfRangeShouldBeRefusedWithLineAndColumn() {
        String document = Documents.valid().replace("  port: 8443\n", """
              port: 8443
              session-minutes: 600
              session-max-hours: 2
              first-password-days: 0
              replies-per-hour: many
            """);

        assertThatThrownBy(() -> ConfigDocument.parse(document))
            .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors())
                .extracting(ConfigError::toString)
                .containsExactly("gina.replies-per-hour (line 23, column 21): expected an integer, got the string 'many'"));
        String semantic = document.replace("replies-per-hour: many", "replies-per-hour: 0");
        assertThatThrownBy(() -> ConfigDocument.parse(semantic))
            .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors())
                .extracting(ConfigError::toString)
                .containsExactly(
                    "gina.session-minutes (line 20, column 20): a session's idle lifetime (600 minutes) is longer"
                        + " than its absolute lifetime (session-max-hours: 2)",
                    "gina.first-password-days (line 22, column 24): must be between 1 and 365, got 0",
                    "gina.replies-per-hour (line 23, column 21): must be between 1 and 10000, got 0"));
    }
}
