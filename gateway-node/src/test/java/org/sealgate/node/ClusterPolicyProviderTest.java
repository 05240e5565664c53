package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.Fallback;
import org.sealgate.policy.PolicyRules;
import org.sealgate.policy.Method;
import org.sealgate.policy.PolicySettings;
import org.sealgate.policy.Setting;
import org.sealgate.policy.TransportSecurity;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.DomainConfig;

/**
 * The cluster document's policy entries become scopes of the same policy rules as policy.properties, setting for
 * setting, with the engine's own types (no text in between).
 */
class ClusterPolicyProviderTest {

    @Test
    void everyDomainSettingShouldReachThePolicyEngine() throws Exception {
        PolicyRules rules = rulesOf("""
              - name: Legacy.Example
                encrypt: required
                sign: false
                content-encryption: aes256-cbc
                rsa-key-transport: pkcs1
                unencryptable: hold
                tls: verified
              - name: open.example
                encrypt: "off"
            """);

        PolicySettings legacy = rules.settingsFor("someone@legacy.example");
        assertThat(legacy.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(legacy.sign()).isFalse();
        assertThat(legacy.cms()).isEqualTo(new EncryptionPolicy(EncryptionPolicy.ContentEncryption.AES256_CBC,
            EncryptionPolicy.RsaKeyTransport.PKCS1_V15));
        assertThat(legacy.fallback()).isEqualTo(Fallback.HOLD);
        assertThat(legacy.source(Setting.ENCRYPT)).isEqualTo("domain legacy.example");
        assertThat(legacy.tls()).isEqualTo(TransportSecurity.VERIFIED);
        assertThat(rules.settingsFor("x@open.example").tls()).isEqualTo(TransportSecurity.OPPORTUNISTIC);
        assertThat(rules.settingsFor("x@open.example").encryption()).isEqualTo(EncryptionMode.OFF);
        assertThat(rules.settingsFor("x@unlisted.example")).isEqualTo(PolicySettings.builtIn());
    }

    @Test
    void useHarvestedKeysShouldReachThePolicyAndBeOffUnlessTheDomainSetsIt() throws Exception {
        PolicyRules rules = rulesOf("""
              - name: trusting.example
                use-harvested-keys: true
              - name: partner.example
                encrypt: opportunistic
            """);

        assertThat(rules.settingsFor("x@trusting.example").useHarvestedKeys()).isTrue();
        assertThat(rules.settingsFor("x@partner.example").useHarvestedKeys()).isFalse();
        assertThat(rules.settingsFor("x@unlisted.example").useHarvestedKeys()).isFalse();
    }

    @Test
    void theStarEntryShouldBeTheDefaultScopeAndWildcardsDomainScopes() throws Exception {
        PolicyRules rules = rulesOf("""
              - name: "*"
                methods: [smime, pgp, gina]
                fallback: gina
              - name: "*.bank.example"
                encrypt: required
                methods: [smime]
                fallback: hold
            """);

        assertThat(rules.settingsFor("x@unlisted.example").methods()).containsExactly(Method.SMIME, Method.PGP, Method.GINA);
        assertThat(rules.settingsFor("x@unlisted.example").source(Setting.METHODS)).isEqualTo("default");
        assertThat(rules.settingsFor("x@unlisted.example").fallback()).isEqualTo(Fallback.GINA);
        PolicySettings bank = rules.settingsFor("x@zurich.bank.example");
        assertThat(bank.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(bank.methods()).containsExactly(Method.SMIME);
        assertThat(bank.fallback()).isEqualTo(Fallback.HOLD);
    }

    @Test
    void theDocumentShouldExpressEverySettingThePolicyFileCan() throws Exception {
        String file = """
            default.methods = smime, tls
            default.fallback = tls
            default.allow-plain = true
            default.trigger-encrypt = [secret]
            default.debug-header = on
            domain.partner.example.encrypt = required
            domain.partner.example.tag-valid = [verified]
            user.ceo@corp.example.sign = false
            """;
        PolicyRules fromDocument = rulesOf("""
              - name: "*"
                methods: [smime, tls]
                fallback: tls
                allow-plain: true
                trigger-encrypt: ["[secret]"]
                debug-header: "on"
              - name: partner.example
                encrypt: required
                tag-valid: "[verified]"
              - name: CEO@corp.example
                sign: false
            """);
        PolicyRules fromFile = PolicyRules.parse(file.lines().toList());

        for (String address : List.of("a@x.example", "b@partner.example", "ceo@corp.example", "other@corp.example")) {
            assertThat(fromDocument.settingsFor(address)).as(address).isEqualTo(fromFile.settingsFor(address));
        }
        assertThat(fromDocument.settingsFor("a@x.example").methods()).containsExactly(Method.SMIME, Method.TLS);
        assertThat(fromDocument.settingsFor("ceo@corp.example").sign()).isFalse();
    }

    @Test
    void aSettingTheEngineRefusesShouldBeAnErrorOfTheDocumentWithItsLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rulesOf("""
              - name: partner.example
                fallback: shred
            """)).hasMessageContaining("domains[0].fallback").hasMessageContaining("must be one of");
    }

    private static PolicyRules rulesOf(String domains) throws Exception {
        String document = """
            schema-version: 1
            domains:
            %s
            gina:
              host-name: gina.example.com
            vip:
              address: 198.18.0.100
              interface: eth0
              virtual-router-id: 51
            nodes:
              - id: node-a
                addresses: [198.18.0.9]
                role: primary
                priority: 150
            """.formatted(domains.stripTrailing());
        List<DomainConfig> parsed = ConfigDocument.parse(document).config().domains();
        return ClusterPolicyProvider.toRules(parsed, PolicyRules.EMPTY);
    }

    @Test
    void theProviderShouldAnswerFromTheSnapshotInForceAndDefaultsWithoutOne() {
        ClusterPolicyProvider provider = new ClusterPolicyProvider(Optional::empty);

        assertThat(provider.settingsFor("a@b.example")).isEqualTo(PolicySettings.builtIn());
    }
}
