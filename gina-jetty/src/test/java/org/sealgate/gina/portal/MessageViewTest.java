package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageViewTest {
    @Test
    void htmlShouldBePreferredAndSanitised() throws Exception {
        MessageView view = MessageView.parse(TestMime.message("alice@sealgate.test", "carol@partner.example", null, "Hi",
            "<p onclick=\"x()\">Hi <a href=\"https://example.org/\">link</a></p><iframe src=\"https://evil\"></iframe>"
                + "<form action=\"https://evil\"><input name=p></form><img src=\"https://tracker.example/p.gif\">"));

        assertThat(view.html()).hasValueSatisfying(html -> assertThat(html)
            .contains("<a href=\"https://example.org/\"").contains("noopener").contains("noreferrer").contains("nofollow")
            .doesNotContain("onclick").doesNotContain("iframe").doesNotContain("<form").doesNotContain("tracker"));
        assertThat(view.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("figures.pdf");
            assertThat(a.content()).isEqualTo(TestMime.ATTACHMENT);
        });
    }

    @Test
    void plainTextInItsCharsetAndEncodedHeadersShouldBeDecoded() throws Exception {
        byte[] mime = ("From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@sealgate.test>\r\nTo: carol@partner.example\r\n"
            + "Reply-To: desk@sealgate.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Sch=F6ne Gr=FC=DFe\r\n").getBytes(StandardCharsets.US_ASCII);

        MessageView view = MessageView.parse(mime);

        assertThat(view.subject()).isEqualTo("Grüße");
        assertThat(view.from()).contains("Jürgen");
        assertThat(view.text()).hasValueSatisfying(t -> assertThat(t).contains("Schöne Grüße"));
        assertThat(view.html()).isEmpty();
        assertThat(view.replyTargets()).singleElement().satisfies(a -> assertThat(a.getAddress()).isEqualTo("desk@sealgate.test"));
    }

    @Test
    void replyAllShouldGoToSenderAndOthersButNotTheReplier() throws Exception {
        MessageView view = MessageView.parse(TestMime.message("alice@sealgate.test",
            "carol@partner.example, dave@partner.example", "bob@sealgate.test", "Hi", "<p>x</p>"));

        assertThat(ReplySender.recipients(view, "Carol@Partner.example", ReplySender.Mode.REPLY).keySet())
            .containsExactly("alice@sealgate.test");
        assertThat(ReplySender.recipients(view, "carol@partner.example", ReplySender.Mode.REPLY_ALL).keySet())
            .containsExactly("alice@sealgate.test", "dave@partner.example", "bob@sealgate.test");
        assertThat(ReplySender.replySubject("RE: Hi")).isEqualTo("RE: Hi");
    }

    @Test
    void contentDispositionShouldBeSafeForAnyFileName() {
        assertThat(ContentDisposition.attachment("../../etc/passwd")).startsWith("attachment; filename=\"attachment.._.._etc_passwd\"")
            .doesNotContain("/");
        assertThat(ContentDisposition.attachment("Bericht \"Q3\"\r\n.pdf"))
            .startsWith("attachment; filename=\"Bericht _Q3_.pdf\"").doesNotContain("\r").doesNotContain("\n");
        assertThat(ContentDisposition.attachment("Grüße.txt")).contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt");
        assertThat(ContentDisposition.attachment(".htaccess")).startsWith("attachment; filename=\"attachment.htaccess\"");
    }
}
