package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy engine's decisions, table-driven: inheritance (default, wildcard and exact domains, users, per
 * setting), sender triggers, method order and fallbacks. Key availability is a fixed table here; the real key
 * look-ups are tested with the key stores and through the server.
 */
class PolicyEngineTest {
    private static final PolicyRules RULES = rules(
        "default.encrypt = opportunistic",
        "default.methods = smime, pgp",
        "domain.*.example.org.encrypt = required",
        "domain.*.eu.example.org.fallback = hold",
        "domain.*.eu.example.org.methods = pgp, smime",
        "domain.open.eu.example.org.encrypt = off",
        "domain.gina.test.encrypt = required",
        "domain.gina.test.methods = smime, pgp, gina",
        "domain.tls.test.methods = smime, tls",
        "domain.strict.test.encrypt = required",
        "domain.strict.test.fallback = tls",
        "domain.corp.test.sign = on",
        "domain.tls-required.test.tls = required",
        "domain.tls-verified.test.tls = verified",
        "domain.tls-verified.test.methods = smime, tls",
        "user.vip@plain.test.encrypt = required",
        "user.boss@corp.test.allow-plain = true",
        "user.quiet@corp.test.sign = off");
    private static final Set<String> SMIME = Set.of("carol@plain.test", "s@tls-required.test", "a@x.example.org", "both@p.eu.example.org",
        "c@open.eu.example.org", "g@gina.test");
    private static final Set<String> PGP = Set.of("both@p.eu.example.org", "pgp@plain.test");
    private static final RecipientKeys KEYS = new RecipientKeys() {
        @Override
        public Check smime(String address) {
            return SMIME.contains(address) ? Check.usable("") : Check.unusable("no certificate known for " + address);
        }

        @Override
        public Check pgp(String address) {
            return PGP.contains(address) ? Check.usable("") : Check.unusable("no usable OpenPGP key for " + address);
        }
    };
    private static final PolicyEngine ENGINE = new PolicyEngine(RULES, KEYS);

    static PolicyRules rules(String... lines) {
        try {
            return PolicyRules.parse(List.of(lines));
        } catch (PolicyFile.PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> decisions() {
        String alice = "alice@corp.test";
        String boss = "boss@corp.test";
        return Stream.of(
            // name, sender, subject, X-Sealgate-Encrypt, recipient, outcome, reason fragment
            Arguments.of("opportunistic, no key: plain", alice, "hi", null, "dave@plain.test", Outcome.PLAIN,
                "encrypt=opportunistic (default)"),
            Arguments.of("opportunistic with a certificate: S/MIME", alice, "hi", null, "carol@plain.test", Outcome.SMIME,
                "usable S/MIME certificate"),
            Arguments.of("opportunistic with only an OpenPGP key: PGP", alice, "hi", null, "pgp@plain.test", Outcome.PGP,
                "usable OpenPGP key"),
            Arguments.of("wildcard requires, no key: bounce with the reason", alice, "hi", null, "dave@x.example.org",
                Outcome.BOUNCE, "no certificate known for dave@x.example.org"),
            Arguments.of("wildcard requires, certificate known: S/MIME", alice, "hi", null, "a@x.example.org",
                Outcome.SMIME, "encrypt=required (domain *.example.org)"),
            Arguments.of("deeper wildcard inherits 'required' from the shorter one, sets its own fallback", alice, "hi",
                null, "nokey@p.eu.example.org", Outcome.HOLD, "fallback=hold (domain *.eu.example.org)"),
            Arguments.of("most specific wildcard's method order: OpenPGP before S/MIME", alice, "hi", null,
                "both@p.eu.example.org", Outcome.PGP, "usable OpenPGP key"),
            Arguments.of("exact domain beats every wildcard: encryption off despite a certificate", alice, "hi", null,
                "c@open.eu.example.org", Outcome.PLAIN, "encrypt=off (domain open.eu.example.org)"),
            Arguments.of("a wildcard does not match the bare domain", alice, "hi", null, "d@example.org", Outcome.PLAIN,
                "encrypt=opportunistic (default)"),
            Arguments.of("required, no key, GINA in the order: GINA", alice, "hi", null, "nokey@gina.test", Outcome.GINA,
                "GINA portal"),
            Arguments.of("required, certificate before GINA in the order: S/MIME", alice, "hi", null, "g@gina.test",
                Outcome.SMIME, "usable S/MIME certificate"),
            Arguments.of("GINA is not used when encryption is only opportunistic", alice, "hi", null, "dave@plain.test",
                Outcome.PLAIN, "no usable method"),
            Arguments.of("TLS in the order, no key: enforced TLS", alice, "hi", null, "nokey@tls.test", Outcome.TLS,
                "delivery over enforced TLS"),
            Arguments.of("required with fallback tls, no key: enforced TLS", alice, "hi", null, "nokey@strict.test",
                Outcome.TLS, "fallback=tls"),
            Arguments.of("user entry beats the domain", alice, "hi", null, "vip@plain.test", Outcome.BOUNCE,
                "encrypt=required (user vip@plain.test)"),
            Arguments.of("[secure] forces required", alice, "[secure] hi", null, "dave@plain.test", Outcome.BOUNCE,
                "encryption required by the sender ([secure] in subject)"),
            Arguments.of("[confidential] forces required, case-insensitive", alice, "[CONFIDENTIAL] hi", null,
                "carol@plain.test", Outcome.SMIME, "[confidential] in subject"),
            Arguments.of("X-Sealgate-Encrypt: yes forces required", alice, "hi", "Yes", "dave@plain.test", Outcome.BOUNCE,
                "X-Sealgate-Encrypt: yes"),
            Arguments.of("[secure] with an exact domain that switches encryption off still requires", alice, "[secure]",
                null, "c@open.eu.example.org", Outcome.SMIME, "encryption required by the sender"),
            Arguments.of("[plain] ignored when the sender may not downgrade", alice, "[plain] hi", null,
                "carol@plain.test", Outcome.SMIME, "allow-plain=off"),
            Arguments.of("[plain] honoured for a sender allowed to downgrade", boss, "[plain] hi", null,
                "carol@plain.test", Outcome.PLAIN, "encryption switched off by the sender ([plain] in subject)"),
            Arguments.of("[plain] never overrules a recipient that requires encryption", boss, "[plain] hi", null,
                "dave@x.example.org", Outcome.BOUNCE, "policy requires encryption"),
            Arguments.of("X-Sealgate-Encrypt: no is a downgrade like [plain]", boss, "hi", "no", "carol@plain.test",
                Outcome.PLAIN, "X-Sealgate-Encrypt: no"),
            Arguments.of("an unknown X-Sealgate-Encrypt value changes nothing", alice, "hi", "maybe", "carol@plain.test",
                Outcome.SMIME, "encrypt=opportunistic"),
            Arguments.of("encrypt beats plain when the sender gives both", boss, "[plain] [secure] hi", null,
                "dave@plain.test", Outcome.BOUNCE, "encryption required by the sender"),
            Arguments.of("tls=required turns plain into tls", alice, "hi", null, "p@tls-required.test", Outcome.TLS,
                "tls=required (domain tls-required.test): delivered only over TLS"),
            Arguments.of("tls=required keeps S/MIME and carries the requirement", alice, "hi", null,
                "s@tls-required.test", Outcome.SMIME, "tls=required (domain tls-required.test)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void engineShouldDecideEachRecipient(String name, String sender, String subject, String header, String recipient,
                                         Outcome outcome, String reason) {
        MailDecision decision = ENGINE.decide(sender, subject, Optional.ofNullable(header), List.of(recipient));

        MailDecision.RecipientDecision chosen = decision.forRecipient(recipient).orElseThrow();
        assertThat(chosen.outcome()).as(chosen.reason()).isEqualTo(outcome);
        assertThat(chosen.reason()).contains(reason);
    }

    @Test
    void theTransportRequirementShouldTravelWithTheDecision() {
        MailDecision decision = ENGINE.decide("alice@corp.test", "hi", Optional.empty(),
            List.of("s@tls-required.test", "p@tls-required.test", "n@tls-verified.test", "n@tls.test", "carol@plain.test"));

        assertThat(decision.recipients().values()).extracting(MailDecision.RecipientDecision::transport).containsExactly(
            TransportSecurity.REQUIRED, TransportSecurity.REQUIRED, TransportSecurity.VERIFIED, TransportSecurity.REQUIRED,
            TransportSecurity.OPPORTUNISTIC);
        assertThat(MailDecision.decode(decision.encodeRecipients())).isEqualTo(decision.recipients());
    }

    @Test
    void recipientsOfOneMailShouldEachGetTheirOwnOutcome() {
        MailDecision decision = ENGINE.decide("alice@corp.test", "figures", Optional.empty(),
            List.of("Carol@plain.test", "dave@plain.test", "dave@x.example.org", "nokey@p.eu.example.org"));

        assertThat(decision.recipients()).containsOnlyKeys("carol@plain.test", "dave@plain.test", "dave@x.example.org",
            "nokey@p.eu.example.org");
        assertThat(decision.recipients().values()).extracting(MailDecision.RecipientDecision::outcome)
            .containsExactly(Outcome.SMIME, Outcome.PLAIN, Outcome.BOUNCE, Outcome.HOLD);
    }

    @Test
    void triggersShouldBeRemovedFromTheSubject() {
        MailDecision decision = ENGINE.decide("alice@corp.test", "[secure] Quarterly  figures [Sign]", Optional.empty(),
            List.of("carol@plain.test"));

        assertThat(decision.triggers().subject()).isEqualTo("Quarterly figures");
        assertThat(decision.triggers().found()).containsExactly("[secure] in subject", "[sign] in subject");
    }

    @Test
    void aSubjectWithoutTriggersShouldStayByteForByte() {
        MailDecision decision = ENGINE.decide("alice@corp.test", "  two  spaces [not a trigger] ", Optional.empty(),
            List.of("carol@plain.test"));

        assertThat(decision.triggers().subject()).isEqualTo("  two  spaces [not a trigger] ");
    }

    @Test
    void signingShouldFollowTheSendersSettingOrTheSignTrigger() {
        assertThat(ENGINE.decide("alice@corp.test", "x", Optional.empty(), List.of("d@plain.test")).sign()).isTrue();
        assertThat(ENGINE.decide("quiet@corp.test", "x", Optional.empty(), List.of("d@plain.test")).sign()).isFalse();
        MailDecision asked = ENGINE.decide("quiet@corp.test", "[sign] x", Optional.empty(), List.of("d@plain.test"));
        assertThat(asked.sign()).isTrue();
        assertThat(asked.signReason()).contains("[sign] in subject");
    }

    @Test
    void triggerKeywordsShouldBeConfigurable() {
        PolicyEngine engine = new PolicyEngine(rules("default.trigger-encrypt = (encrypt), {enc}",
            "default.trigger-plain = none"), KEYS);

        MailDecision custom = engine.decide("alice@corp.test", "(encrypt) hi", Optional.empty(), List.of("d@plain.test"));
        MailDecision old = engine.decide("alice@corp.test", "[secure] hi", Optional.empty(), List.of("d@plain.test"));

        assertThat(custom.forRecipient("d@plain.test").orElseThrow().outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(custom.triggers().subject()).isEqualTo("hi");
        assertThat(old.forRecipient("d@plain.test").orElseThrow().outcome()).isEqualTo(Outcome.PLAIN);
        assertThat(old.triggers().subject()).isEqualTo("[secure] hi");
    }

    @Test
    void decisionsShouldSurviveTheirStringForm() {
        MailDecision decision = ENGINE.decide("alice@corp.test", "[secure] x", Optional.empty(),
            List.of("carol@plain.test", "dave@x.example.org"));

        assertThat(MailDecision.decode(decision.encodeRecipients())).isEqualTo(decision.recipients());
    }
}
