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
import org.sealgate.zk.config.ContentEncryption;
import org.sealgate.zk.config.DomainConfig;
import org.sealgate.zk.config.EncryptionMethod;
import org.sealgate.zk.config.EncryptMode;
import org.sealgate.zk.config.RsaKeyTransport;
import org.sealgate.zk.config.TlsRequirement;
import org.sealgate.zk.config.UnencryptableAction;

/** The cluster document's domains become domain scopes of the same policy rules as policy.properties. */
class ClusterPolicyProviderTest {

    @Test
    void everyDomainSettingShouldReachThePolicyEngine() {
        PolicyRules rules = ClusterPolicyProvider.toRules(List.of(
            new DomainConfig("Legacy.Example", EncryptMode.REQUIRED, false, ContentEncryption.AES256_CBC,
                RsaKeyTransport.PKCS1, UnencryptableAction.HOLD, TlsRequirement.VERIFIED),
            new DomainConfig("open.example", EncryptMode.OFF, true, ContentEncryption.AES256_GCM,
                RsaKeyTransport.OAEP, UnencryptableAction.BOUNCE, TlsRequirement.OPPORTUNISTIC)), PolicyRules.EMPTY);

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
    void useHarvestedKeysShouldReachThePolicyAndBeOffUnlessTheDomainSetsIt() {
        PolicyRules rules = ClusterPolicyProvider.toRules(List.of(
            new DomainConfig("trusting.example", EncryptMode.OPPORTUNISTIC, true, ContentEncryption.AES256_GCM,
                RsaKeyTransport.OAEP, UnencryptableAction.BOUNCE, TlsRequirement.OPPORTUNISTIC, List.of(), true),
            new DomainConfig("partner.example", EncryptMode.OPPORTUNISTIC, true, ContentEncryption.AES256_GCM,
                RsaKeyTransport.OAEP, UnencryptableAction.BOUNCE, TlsRequirement.OPPORTUNISTIC)), PolicyRules.EMPTY);

        assertThat(rules.settingsFor("x@trusting.example").useHarvestedKeys()).isTrue();
        assertThat(rules.settingsFor("x@partner.example").useHarvestedKeys()).isFalse();
        assertThat(rules.settingsFor("x@unlisted.example").useHarvestedKeys()).isFalse();
    }

    @Test
    void theStarEntryShouldBeTheDefaultScopeAndWildcardsDomainScopes() {
        PolicyRules rules = ClusterPolicyProvider.toRules(List.of(
            new DomainConfig("*", EncryptMode.OPPORTUNISTIC, true, ContentEncryption.AES256_GCM, RsaKeyTransport.OAEP,
                UnencryptableAction.BOUNCE, TlsRequirement.OPPORTUNISTIC,
                List.of(EncryptionMethod.SMIME, EncryptionMethod.PGP, EncryptionMethod.GINA)),
            new DomainConfig("*.bank.example", EncryptMode.REQUIRED, true, ContentEncryption.AES256_GCM,
                RsaKeyTransport.OAEP, UnencryptableAction.HOLD, TlsRequirement.OPPORTUNISTIC,
                List.of(EncryptionMethod.SMIME))), PolicyRules.EMPTY);

        assertThat(rules.settingsFor("x@unlisted.example").methods()).containsExactly(Method.SMIME, Method.PGP, Method.GINA);
        assertThat(rules.settingsFor("x@unlisted.example").source(Setting.METHODS)).isEqualTo("default");
        PolicySettings bank = rules.settingsFor("x@zurich.bank.example");
        assertThat(bank.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(bank.methods()).containsExactly(Method.SMIME);
        assertThat(bank.fallback()).isEqualTo(Fallback.HOLD);
    }

    @Test
    void theProviderShouldAnswerFromTheSnapshotInForceAndDefaultsWithoutOne() {
        ClusterPolicyProvider provider = new ClusterPolicyProvider(Optional::empty);

        assertThat(provider.settingsFor("a@b.example")).isEqualTo(PolicySettings.builtIn());
    }
}
