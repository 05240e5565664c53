package org.sealgate.gina.portal;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.util.List;
import java.util.Optional;

/** The pages shown inside a session: the message, the reply form, the confirmation. */
final class MessagePages {
    private MessagePages() {
    }

    static String message(String address, MessageView view, String container, String csrf) {
        StringBuilder attachments = new StringBuilder();
        if (!view.attachments().isEmpty()) {
            attachments.append("<h2>Attachments</h2><form method=\"post\" action=\"/attachment\" id=\"attachments\">")
                .append(Pages.hidden(container, csrf)).append("<ul>");
            for (int i = 0; i < view.attachments().size(); i++) {
                MessageView.Attachment a = view.attachments().get(i);
                attachments.append("<li><button type=\"submit\" class=\"link\" name=\"part\" value=\"").append(i)
                    .append("\" id=\"attachment-").append(i).append("\">").append(escape(a.fileName())).append("</button> (")
                    .append(escape(a.contentType())).append(", ").append(a.content().length).append(" bytes)</li>");
            }
            attachments.append("</ul></form>");
        }
        String body = view.html().map(h -> "<div class=\"message-html\" id=\"body\">" + h + "</div>")
            .orElseGet(() -> "<pre class=\"message-text\" id=\"body\">" + escape(view.text().orElse("")) + "</pre>");
        return Pages.layout(view.subject(), """
            <table class="headers">
            <tr><th>From</th><td id="from">%s</td></tr>
            <tr><th>To</th><td id="to">%s</td></tr>%s
            <tr><th>Date</th><td>%s</td></tr>
            </table>
            %s
            %s
            <div class="actions">
            <form method="post" action="/compose">%s<input type="hidden" name="mode" value="reply"><button type="submit" id="reply">Reply securely</button></form>
            <form method="post" action="/compose">%s<input type="hidden" name="mode" value="reply-all"><button type="submit" id="reply-all">Reply to all</button></form>
            <form method="post" action="/logout">%s<button type="submit" id="logout">Log out</button></form>
            </div>
            <p class="small">Logged in as %s.</p>""".formatted(escape(view.from()), escape(String.join(", ", view.to())),
                view.cc().isEmpty() ? "" : "<tr><th>Cc</th><td>" + escape(String.join(", ", view.cc())) + "</td></tr>",
                escape(view.date().orElse("")), body, attachments, Pages.hidden(container, csrf),
                Pages.hidden(container, csrf), Pages.hidden(container, csrf), escape(address)));
    }

    /** @param body what the recipient had typed when an error sent the form back (kept, so nothing is lost) */
    static String compose(MessageView view, String mode, List<String> recipients, String container, String csrf,
                          long maxAttachmentBytes, Optional<String> error, String body) {
        return Pages.layout("Secure reply: " + ReplySender.replySubject(view.subject()), Pages.notice(error, "error") + """
            <p>To: <strong id="recipients">%s</strong></p>
            <form method="post" action="/reply" enctype="multipart/form-data" id="compose-form">%s
            <input type="hidden" name="mode" value="%s">
            <label>Message <textarea name="body" id="reply-body" rows="12" required>%s</textarea></label>
            <label>Attachments (up to %d bytes in total) <input type="file" name="attachment" id="reply-attachment" multiple></label>
            <button type="submit" id="send">Send securely</button>
            </form>
            <form method="post" action="/message">%s<button type="submit" class="link" id="back">Back to the message</button></form>
            """.formatted(escape(String.join(", ", recipients)), Pages.hidden(container, csrf), escape(mode),
                escape(body), maxAttachmentBytes, Pages.hidden(container, csrf)));
    }

    static String sent(List<String> recipients, String container, String csrf) {
        return Pages.layout("Your reply was sent", """
            <p id="notice">Your reply was handed to the secure gateway for %s.</p>
            <form method="post" action="/message">%s<button type="submit" id="back">Back to the message</button></form>
            <form method="post" action="/logout">%s<button type="submit" id="logout">Log out</button></form>
            """.formatted(escape(String.join(", ", recipients)), Pages.hidden(container, csrf), Pages.hidden(container, csrf)));
    }
}
