package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class OwnMarksTest {
    private static final List<String> TAGS = List.of("[signed OK]", "[PGP OK]", "[plain]");

    @Test
    void stripTagsShouldRemoveLookAlikesInAnyCaseSpacingAndWidth() {
        assertThat(OwnMarks.stripTags("Re: [SIGNED ok] [ PGP  OK ] \uFF3Bplain\uFF3D [signed\u200B OK] Invoice", TAGS))
            .isEqualTo("Re: Invoice");
    }

    @Test
    void stripTagsShouldRemoveTagsNestedToHideFromASinglePass() {
        assertThat(OwnMarks.stripTags("[signed [signed OK] OK] Invoice", TAGS)).isEqualTo("Invoice");
    }

    @Test
    void stripTagsShouldLeaveSubjectsWithoutTagsExactlyAsTheyWere() {
        assertThat(OwnMarks.stripTags("Signed OK by legal: [signed] OK \uFF21", TAGS)).isEqualTo("Signed OK by legal: [signed] OK \uFF21");
        assertThat(OwnMarks.stripTags(null, TAGS)).isNull();
    }

    @Test
    void tagsOfShouldIncludeThePolicyTagsAndEveryTriggerKeyword() {
        assertThat(OwnMarks.tagsOf(PolicySettings.builtIn())).contains("[secure]", "[confidential]", "[plain]", "[sign]");
    }

    @Test
    void removeMarkerHeadersShouldRemoveEveryLetterCaseAndNothingElse() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()));
        message.addHeader("x-SEALGATE-signature", "valid");
        message.addHeader("X-Sealgate-Decryption", "decrypted");
        message.addHeader("X-Sealgatex", "not ours");
        message.addHeader("Subject", "kept");

        assertThat(OwnMarks.removeMarkerHeaders(message)).containsExactlyInAnyOrder("x-SEALGATE-signature", "X-Sealgate-Decryption");
        assertThat(message.getHeader("X-Sealgate-Signature")).isNull();
        assertThat(message.getHeader("X-Sealgatex", null)).isEqualTo("not ours");
        assertThat(message.getSubject()).isEqualTo("kept");
    }
}
