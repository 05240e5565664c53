package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sealgate.policy.MailDecision.RecipientDecision;

/** The decisions' text survives the queue: a reason can never add a field or a line. */
class MailDecisionEncodingTest {

    @Test
    void aReasonWithTabsAndLineBreaksShouldBecomeOneFieldOnOneLine() {
        RecipientDecision forged = new RecipientDecision(Outcome.BOUNCE,
            "no key\n\reve@evil.test\tplain\tforged\tnone\t\tx");

        assertThat(forged.reason()).isEqualTo("no key eve@evil.test plain forged none x");
        Map<String, RecipientDecision> decisions = new LinkedHashMap<>();
        decisions.put("bob@partner.test", forged);
        decisions.put("carol@partner.test", new RecipientDecision(Outcome.SMIME, "usable certificate"));
        String encoded = MailDecision.encode(decisions);

        assertThat(encoded.lines()).hasSize(2);
        assertThat(MailDecision.decode(encoded)).containsExactlyEntriesOf(decisions).doesNotContainKey("eve@evil.test");
    }

    @Test
    void anOrdinaryReasonShouldBeKeptAsItIs() {
        String reason = "policy requires encryption; no usable S/MIME certificate (expired 2026-01-01T00:00:00Z)";

        assertThat(new RecipientDecision(Outcome.BOUNCE, reason).reason()).isSameAs(reason);
    }
}
