package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Resolved settings are remembered per address; the answers stay those of the document, past the memo's bound too. */
class PolicyRulesMemoTest {
    private static final String[] DOCUMENT = {
        "default.encrypt = opportunistic",
        "domain.partner.test.encrypt = required",
        "domain.*.wild.test.methods = pgp",
        "user.ceo@partner.test.allow-plain = true"};

    @Test
    void anAddressInAnyCaseShouldGetTheSameSettingsAsResolvedFresh() {
        PolicyRules rules = PolicyEngineTest.rules(DOCUMENT);

        PolicySettings first = rules.settingsFor("CEO@Partner.Test");
        PolicySettings again = rules.settingsFor("<ceo@partner.test>");

        assertThat(again).isEqualTo(first).isEqualTo(PolicyEngineTest.rules(DOCUMENT).settingsFor("ceo@partner.test"));
        assertThat(again.allowPlain()).isTrue();
        assertThat(again.encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(again.source(Setting.ALLOW_PLAIN)).isEqualTo("user ceo@partner.test");
    }

    @Test
    void manyDistinctAddressesShouldEachGetTheirOwnScopesPastTheMemoBound() {
        PolicyRules rules = PolicyEngineTest.rules(DOCUMENT);

        for (int i = 0; i < PolicyRules.RESOLVED_LIMIT * 2 + 7; i++) {
            String domain = switch (i % 3) {
                case 0 -> "partner.test";
                case 1 -> "x" + i + ".wild.test";
                default -> "other.test";
            };
            PolicySettings settings = rules.settingsFor("user" + i + "@" + domain);
            assertThat(settings.encryption()).isEqualTo(i % 3 == 0 ? EncryptionMode.REQUIRED : EncryptionMode.OPPORTUNISTIC);
            assertThat(settings.methods()).isEqualTo(i % 3 == 1 ? java.util.List.of(Method.PGP)
                : PolicySettings.builtIn().methods());
            assertThat(settings.allowPlain()).isFalse();
        }
        assertThat(rules.settingsFor("ceo@partner.test").allowPlain()).isTrue();
    }
}
