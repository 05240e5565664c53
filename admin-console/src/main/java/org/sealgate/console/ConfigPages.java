package org.sealgate.console;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.sealgate.zk.store.HistoryEntry;

/** The configuration pages: the history of versions, a diff between two, and the rollback form. */
final class ConfigPages {
    private ConfigPages() {
    }

    static String history(ConsoleSessions.Session session, List<HistoryEntry> entries, int current, Optional<String> notice) {
        StringBuilder rows = new StringBuilder();
        for (int i = entries.size() - 1; i >= 0; i--) {   // newest first
            HistoryEntry entry = entries.get(i);
            rows.append("<tr id=\"version-").append(entry.version()).append("\"><td>").append(entry.version())
                .append(entry.version() == current ? " (current)" : "").append("</td><td>")
                .append(DateTimeFormatter.ISO_INSTANT.format(entry.appliedAt())).append("</td><td class=\"author\">")
                .append(escape(entry.author())).append("</td><td class=\"message\">").append(escape(entry.message()))
                .append("</td><td>").append(entry.size()).append("</td><td><code>")
                .append(escape(entry.sha256().substring(0, Math.min(16, entry.sha256().length())))).append("</code></td><td>")
                .append("<a href=\"/config/diff?version=").append(entry.version()).append("\" id=\"diff-")
                .append(entry.version()).append("\">diff</a></td></tr>\n");
        }
        String body = entries.isEmpty() ? "<p id=\"no-history\">No configuration applied yet.</p>" : """
            <table id="history"><thead><tr><th>Version</th><th>Applied (UTC)</th><th>Author</th><th>Message</th><th>Bytes</th><th>SHA-256</th>
            <th></th></tr></thead><tbody>
            %s</tbody></table>""".formatted(rows);
        return ConsolePages.layout("Configuration versions", Optional.of(session), ConsolePages.notice(notice, "notice") + body);
    }

    static String diff(ConsoleSessions.Session session, int version, int against, String diff, int current) {
        String rollback = version == current ? "<p id=\"is-current\">Version " + version + " is the current configuration.</p>" : """
            <form method="post" action="/config/rollback" id="rollback-form">%s
            <input type="hidden" name="version" value="%d"><input type="hidden" name="expected" value="%d">
            <button type="submit" id="rollback">Roll back to version %d</button> (applied as version %d)
            </form>""".formatted(ConsolePages.csrf(session), version, current, version, current + 1);
        StringBuilder lines = new StringBuilder();
        for (String line : diff.split("\n", -1)) {
            String css = line.startsWith("+") && !line.startsWith("+++") ? "add"
                : line.startsWith("-") && !line.startsWith("---") ? "del" : "ctx";
            lines.append("<span class=\"").append(css).append("\">").append(escape(line)).append("</span>\n");
        }
        return ConsolePages.layout("Version " + version + " against version " + against, Optional.of(session), """
            %s
            <pre id="diff">%s</pre>
            <p><a href="/config">All versions</a></p>""".formatted(rollback,
            diff.isEmpty() ? "(no difference)" : lines.toString()));
    }
}
