package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy document's scopes and per-setting inheritance; the legacy keys are covered by PolicyFileTest. */
class PolicyRulesTest {
    private static final PolicyRules RULES = PolicyEngineTest.rules(
        "default.encrypt = opportunistic",
        "default.sign = false",
        "domain.*.example.org.encrypt = required",
        "domain.*.example.org.content-encryption = aes256-cbc",
        "domain.*.eu.example.org.fallback = hold",
        "domain.eu.example.org.methods = tls",
        "domain.mail.eu.example.org.rsa-key-transport = pkcs1",
        "user.ceo@mail.eu.example.org.sign = true",
        "domain.corp.example.subject-tags = off",
        "domain.corp.example.tag-valid = [Signatur OK]");

    @Test
    void eachSettingShouldComeFromTheMostSpecificScopeThatSetsIt() {
        PolicySettings ceo = RULES.settingsFor("CEO@Mail.EU.example.org");

        assertThat(ceo.sign()).isTrue();
        assertThat(ceo.source(Setting.SIGN)).isEqualTo("user ceo@mail.eu.example.org");
        assertThat(ceo.cms().rsa()).isEqualTo(org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport.PKCS1_V15);
        assertThat(ceo.source(Setting.RSA_KEY_TRANSPORT)).isEqualTo("domain mail.eu.example.org");
        assertThat(ceo.fallback()).isEqualTo(Fallback.HOLD);
        assertThat(ceo.source(Setting.FALLBACK)).isEqualTo("domain *.eu.example.org");
        assertThat(ceo.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(ceo.source(Setting.ENCRYPT)).isEqualTo("domain *.example.org");
        assertThat(ceo.cms().content()).isEqualTo(org.sealgate.crypto.EncryptionPolicy.ContentEncryption.AES256_CBC);
        assertThat(ceo.methods()).containsExactly(Method.SMIME, Method.PGP);
        assertThat(ceo.source(Setting.METHODS)).isEqualTo("built-in");
    }

    @Test
    void anotherUserOfTheDomainShouldNotGetTheUserEntry() {
        assertThat(RULES.settingsFor("staff@mail.eu.example.org").sign()).isFalse();
    }

    @Test
    void anExactDomainShouldNotApplyToItsSubdomainsButAWildcardShould() {
        assertThat(RULES.settingsFor("x@eu.example.org").methods()).containsExactly(Method.TLS);
        assertThat(RULES.settingsFor("x@mail.eu.example.org").methods()).containsExactly(Method.SMIME, Method.PGP);
        assertThat(RULES.settingsFor("x@eu.example.org").fallback()).isEqualTo(Fallback.BOUNCE);
    }

    @Test
    void settingsForDomainShouldResolveTheDomainWithoutAnyUserScope() {
        PolicySettings domain = RULES.settingsForDomain("mail.eu.example.org");

        assertThat(domain.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(domain.fallback()).isEqualTo(Fallback.HOLD);
        assertThat(domain.sign()).isFalse();
    }

    @Test
    void subjectTagSettingsShouldKeepTheirCaseAndBeEmptyWhenUnset() {
        PolicySettings corp = RULES.settingsFor("bob@corp.example");

        assertThat(corp.subjectTags()).contains(false);
        assertThat(corp.validTag()).contains("[Signatur OK]");
        assertThat(corp.invalidTag()).isEmpty();
        assertThat(RULES.settingsFor("bob@other.example").subjectTags()).isEmpty();
    }

    @Test
    void unencryptableShouldBeTheOldNameOfFallback() {
        assertThat(PolicyEngineTest.rules("default.unencryptable = hold").settingsFor("a@b.test").fallback())
            .isEqualTo(Fallback.HOLD);
        assertThat(PolicyEngineTest.rules("default.fallback = gina").settingsForDomain("b.test").fallback())
            .isEqualTo(Fallback.GINA);
    }

    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
            Arguments.of(List.of("domain.a.*.example.org.encrypt = off"), "line 1: 'a.*.example.org' is not a domain name"),
            Arguments.of(List.of("domain.*example.org.encrypt = off"), "line 1: '*example.org' is not a domain name"),
            Arguments.of(List.of("", "user.nobody.example.encrypt = off"), "line 2: 'nobody.example' is not an e-mail address"),
            Arguments.of(List.of("user.a b@x.test.encrypt = off"), "line 1: 'a b@x.test' is not an e-mail address"),
            Arguments.of(List.of("default.methods = smime, carrier-pigeon"), "line 1: 'methods' must be one of [smime, pgp, gina, tls]"),
            Arguments.of(List.of("default.methods = smime, smime"), "line 1: 'methods' lists 'smime' twice"),
            Arguments.of(List.of("default.fallback = drop"), "line 1: 'fallback' must be one of [bounce, hold, gina, tls]"),
            Arguments.of(List.of("default.trigger-encrypt = [top secret]"), "line 1: 'trigger-encrypt' must be a comma-separated list"),
            Arguments.of(List.of("default.tag-valid = "), "line 1: 'tag-valid' must not be empty"),
            Arguments.of(List.of("default.allow-plain = maybe"), "line 1: 'allow-plain' must be one of"),
            Arguments.of(List.of("user.a@x.test.colour = red"), "line 1: unknown setting 'colour'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenDocuments")
    void parseShouldRefuseABrokenDocumentNamingTheLine(List<String> lines, String message) {
        assertThatThrownBy(() -> PolicyRules.parse(lines))
            .isInstanceOf(PolicyFile.PolicyException.class).hasMessageStartingWith(message);
    }
}
