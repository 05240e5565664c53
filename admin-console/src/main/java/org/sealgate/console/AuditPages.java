package org.sealgate.console;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.util.Map;
import java.util.Optional;

/** The audit search form and its results. */
final class AuditPages {
    private AuditPages() {
    }

    static String search(ConsoleSessions.Session session, Map<String, String> form, Optional<AuditSearch.Result> result,
                         Optional<String> error, String directory) {
        String results = result.map(AuditPages::results).orElse("");
        return ConsolePages.layout("Audit search", Optional.of(session), ConsolePages.notice(error, "error") + """
            <form method="get" action="/audit" id="audit-form">
            <label>Sender <input type="text" name="sender" id="sender" value="%s" maxlength="256"></label>
            <label>Recipient <input type="text" name="recipient" id="recipient" value="%s" maxlength="256"></label>
            <label>Message-ID <input type="text" name="message-id" id="message-id" value="%s" maxlength="256"></label>
            <label>From (UTC) <input type="text" name="from" id="from" value="%s" placeholder="2026-12-06T00:00" maxlength="40"></label>
            <label>To (UTC) <input type="text" name="to" id="to" value="%s" placeholder="2026-12-07" maxlength="40"></label>
            <button type="submit" id="search">Search</button>
            </form>
            <p class="hint">Searches the node audit trail in <code>%s</code>; parts of addresses and ids match.</p>
            %s""".formatted(value(form, "sender"), value(form, "recipient"), value(form, "message-id"), value(form, "from"),
            value(form, "to"), escape(directory), results));
    }

    private static String results(AuditSearch.Result result) {
        StringBuilder rows = new StringBuilder();
        for (AuditSearch.Hit hit : result.hits()) {
            rows.append("<tr class=\"hit\"><td>").append(escape(hit.time())).append("</td><td>").append(escape(hit.direction()))
                .append("</td><td class=\"sender\">").append(escape(hit.sender())).append("</td><td class=\"recipients\">")
                .append(escape(String.join(", ", hit.recipients()))).append("</td><td class=\"outcome\">")
                .append(escape(hit.outcome())).append("</td><td>").append(escape(hit.reason()))
                .append("</td><td class=\"message-id\">").append(escape(hit.messageId())).append("</td></tr>\n");
        }
        String more = result.truncated() ? "<p class=\"warn\">Only the newest " + AuditSearch.MAX_RESULTS
            + " matches are shown; narrow the search.</p>" : "";
        String bad = result.unreadable() > 0 ? "<p class=\"warn\">" + result.unreadable() + " unreadable line(s) skipped.</p>" : "";
        return """
            <p id="count">%d match(es)</p>%s%s
            <table id="results"><thead><tr><th>Time (UTC)</th><th>Direction</th><th>Sender</th><th>Recipients</th>
            <th>Outcome</th><th>Reason</th><th>Message-ID</th></tr></thead><tbody>
            %s</tbody></table>""".formatted(result.hits().size(), more, bad, rows);
    }

    private static String value(Map<String, String> form, String key) {
        return escape(form.getOrDefault(key, ""));
    }
}
