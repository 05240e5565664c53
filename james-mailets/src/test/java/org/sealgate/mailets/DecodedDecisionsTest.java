package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.MailDecision.RecipientDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.policy.TransportSecurity;
import org.sealgate.testing.TestMessages;

/** Remembered decoded decisions: the attribute's text stays the one truth, whatever was decoded before. */
class DecodedDecisionsTest {

    private static String encoded(String reason, Outcome outcome) {
        return MailDecision.encode(Map.of("bob@partner.test", new RecipientDecision(outcome, reason)));
    }

    private static Mail mailWith(String decisions) throws Exception {
        Mail mail = MailetFixtures.mail(TestMessages.text("x"), TestMessages.FROM, "bob@partner.test");
        mail.setAttribute(new Attribute(PolicyAttributes.DECISIONS, AttributeValue.of(decisions)));
        return mail;
    }

    @Test
    void textsWithTheSameHashShouldEachDecodeToTheirOwnDecisionsAskedInTurn() throws Exception {
        // "Aa" and "BB" have the same String hash: both texts fall into the same slot.
        String first = encoded("reason Aa", Outcome.SMIME);
        String second = encoded("reason BB", Outcome.SMIME);
        assertThat(first.hashCode()).isEqualTo(second.hashCode());

        for (int round = 0; round < 3; round++) {
            assertThat(PolicyAttributes.decisions(mailWith(first)).get("bob@partner.test"))
                .isEqualTo(new RecipientDecision(Outcome.SMIME, "reason Aa"));
            assertThat(PolicyAttributes.decisions(mailWith(second)).get("bob@partner.test"))
                .isEqualTo(new RecipientDecision(Outcome.SMIME, "reason BB"));
        }
    }

    @Test
    void aReplacedAttributeShouldBeReadAsItIsNow() throws Exception {
        Mail mail = mailWith(encoded("first decision", Outcome.SMIME));
        assertThat(PolicyAttributes.decisions(mail).get("bob@partner.test").outcome()).isEqualTo(Outcome.SMIME);

        mail.setAttribute(new Attribute(PolicyAttributes.DECISIONS, AttributeValue.of(encoded("second decision", Outcome.HOLD))));

        assertThat(PolicyAttributes.decisions(mail).get("bob@partner.test").outcome()).isEqualTo(Outcome.HOLD);
    }

    @Test
    void aDuplicatedMailShouldReadTheSameDecisionsAsItsOriginal() throws Exception {
        String text = MailDecision.encode(Map.of(
            "bob@partner.test", new RecipientDecision(Outcome.SMIME, "certificate"),
            "tess@tls.test", new RecipientDecision(Outcome.TLS, "tls", TransportSecurity.VERIFIED)));
        Mail original = mailWith(text);
        Mail copy = MailImpl.duplicate(original);

        assertThat(PolicyAttributes.decisions(copy)).isEqualTo(PolicyAttributes.decisions(original))
            .isEqualTo(MailDecision.decode(text));
    }

    @Test
    void theDecodedDecisionsShouldNotBeChangeableByAReader() throws Exception {
        Map<String, RecipientDecision> decisions = PolicyAttributes.decisions(mailWith(encoded("x", Outcome.PLAIN)));

        assertThatThrownBy(() -> decisions.put("eve@evil.test", new RecipientDecision(Outcome.PLAIN, "forged")))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThat(PolicyAttributes.decisions(mailWith(encoded("x", Outcome.PLAIN)))).doesNotContainKey("eve@evil.test");
    }
}
