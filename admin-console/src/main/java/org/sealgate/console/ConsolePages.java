package org.sealgate.console;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.util.List;
import java.util.Optional;

import org.sealgate.zk.registry.NodeStatus;

/**
 * The console's pages: server-rendered, no JavaScript, one stylesheet from the console itself, so the strict
 * Content-Security-Policy holds. Every dynamic value goes through {@code escape}; every form posts the session's
 * anti-CSRF value.
 */
final class ConsolePages {
    private ConsolePages() {
    }

    static String layout(String title, Optional<ConsoleSessions.Session> session, String body) {
        String nav = session.map(s -> """
            <nav><a href="/" id="nav-status">Status</a> <a href="/config" id="nav-config">Configuration</a>
            <a href="/keys" id="nav-keys">Keys</a> <a href="/audit" id="nav-audit">Audit</a> <a href="/held" id="nav-held">Held mail</a>
            <form method="post" action="/logout" class="inline">%s<span id="admin">%s</span>
            <button type="submit" id="logout">Log out</button></form></nav>""".formatted(csrf(s), escape(s.admin()))).orElse("");
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>%1$s · Sealgate console</title><link rel="stylesheet" href="/static/console.css"></head>
            <body><header><span class="brand">Sealgate admin console</span>%2$s</header>
            <main><h1 id="title">%1$s</h1>
            %3$s
            </main></body></html>
            """.formatted(escape(title), nav, body);
    }

    static String csrf(ConsoleSessions.Session session) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(session.csrf()) + "\">";
    }

    static String notice(Optional<String> message, String cssClass) {
        return message.map(m -> "<p class=\"" + cssClass + "\" id=\"" + cssClass + "\">" + escape(m) + "</p>").orElse("");
    }

    static String login(String preCsrf, Optional<String> error) {
        return layout("Administrator login", Optional.empty(), notice(error, "error") + """
            <form method="post" action="/login" id="login-form">
            <input type="hidden" name="csrf" value="%s">
            <label>Name <input type="text" name="name" id="name" autocomplete="username" required maxlength="32"></label>
            <label>Password <input type="password" name="password" id="password" autocomplete="current-password" required></label>
            <label>Authenticator code <input type="text" name="code" id="code" inputmode="numeric" autocomplete="one-time-code"
              pattern="[0-9]{6}" maxlength="6" required></label>
            <button type="submit" id="login">Log in</button>
            </form>""".formatted(escape(preCsrf)));
    }

    static String status(ConsoleSessions.Session session, List<NodeStatus> nodes, int configVersion, boolean zooKeeper,
                         LiveCounters counters) {
        StringBuilder rows = new StringBuilder();
        for (NodeStatus node : nodes) {
            boolean current = node.configVersion() == configVersion && node.configStaleSince() == null;
            rows.append("<tr class=\"node\"><td class=\"node-id\">").append(escape(node.id())).append("</td><td>")
                .append(escape(String.valueOf(node.role()))).append("</td><td>")
                .append(escape(String.join(", ", node.addresses()))).append("</td><td class=\"")
                .append(current ? "ok" : "warn").append("\">").append(node.configVersion())
                .append(node.configStaleSince() == null ? "" : " (stale since " + escape(node.configStaleSince()) + ")")
                .append("</td><td>").append(escape(String.valueOf(node.health()))).append("</td><td>")
                .append(escape(String.valueOf(node.started()))).append("</td></tr>\n");
        }
        String table = nodes.isEmpty() ? "<p id=\"no-nodes\" class=\"warn\">No node is registered in ZooKeeper.</p>" : """
            <table id="nodes"><thead><tr><th>Node</th><th>Role</th><th>Addresses</th><th>Config version</th><th>Health</th>
            <th>Started</th></tr></thead><tbody>
            %s</tbody></table>""".formatted(rows);
        return layout("Cluster status", Optional.of(session), """
            <p id="summary">%d node(s) registered; configuration version in ZooKeeper: <strong id="config-version">%d</strong>;
            ZooKeeper %s.</p>
            %s
            %s
            %s""".formatted(nodes.size(), configVersion, zooKeeper ? "connected" : "<strong class=\"warn\">not connected</strong>", table,
            nodeCounters(counters.readNodes(nodes)), counters(counters)));
    }

    /** Each node's live counters (the sealgate_ ones: the JVM's own are left to a metrics system). */
    private static String nodeCounters(java.util.Map<String, LiveCounters.Reading> readings) {
        if (readings.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h2>Live counters per node</h2>\n");
        for (java.util.Map.Entry<String, LiveCounters.Reading> entry : readings.entrySet()) {
            String node = escape(entry.getKey());
            LiveCounters.Reading reading = entry.getValue();
            html.append("<section class=\"node-counters\" id=\"counters-").append(node).append("\"><h3>").append(node).append("</h3>");
            if (reading.problem().isPresent()) {
                html.append("<p class=\"warn unreachable\">unreachable: ").append(escape(reading.problem().get())).append("</p>");
            } else {
                html.append("<table class=\"counters\"><tbody>");
                for (LiveCounters.Sample sample : reading.samples()) {
                    if (sample.name().startsWith("sealgate_")) {
                        html.append("<tr class=\"counter\"><td><code>").append(escape(sample.name())).append("</code></td><td>")
                            .append(escape(sample.value())).append("</td></tr>");
                    }
                }
                html.append("</tbody></table>");
            }
            html.append("</section>\n");
        }
        return html.toString();
    }

    private static String counters(LiveCounters counters) {
        if (!counters.configured()) {
            return "";
        }
        LiveCounters.Reading reading = counters.read();
        if (reading.problem().isPresent()) {
            return "<h2>Live counters</h2><p class=\"warn\" id=\"counters-problem\">" + escape(reading.problem().get()) + "</p>";
        }
        StringBuilder rows = new StringBuilder();
        for (LiveCounters.Sample sample : reading.samples()) {
            rows.append("<tr class=\"counter\"><td><code>").append(escape(sample.name())).append("</code></td><td>")
                .append(escape(sample.value())).append("</td></tr>\n");
        }
        return "<h2>Live counters</h2><table id=\"counters\"><tbody>" + rows + "</tbody></table>";
    }

    static String held(ConsoleSessions.Session session, HeldMail held, HeldMail.Listing listing, Optional<String> notice) {
        if (!held.available()) {
            return layout("Held mail", Optional.of(session), "<p id=\"held-unavailable\">" + escape(held.why()) + "</p>");
        }
        StringBuilder rows = new StringBuilder();
        for (HeldMail.Item item : listing.items()) {
            String id = escape(item.id());
            String node = escape(item.node());
            String hidden = "<input type=\"hidden\" name=\"node\" value=\"" + node + "\"><input type=\"hidden\" name=\"id\" value=\""
                + id + "\">";
            rows.append("<tr class=\"held-mail\" id=\"held-").append(id).append("\"><td class=\"held-node\">").append(node)
                .append("</td><td class=\"held-id\">").append(id).append("</td><td>").append(escape(item.heldAt())).append("</td><td>")
                .append(escape(item.sender())).append("</td><td class=\"held-recipients\">")
                .append(escape(String.join(", ", item.recipients()))).append("</td><td>").append(escape(item.reason())).append("</td><td>")
                .append("<form method=\"post\" action=\"/held/release\" class=\"inline\">").append(csrf(session)).append(hidden)
                .append("<button type=\"submit\" class=\"release\">Release</button></form>")
                .append("<form method=\"post\" action=\"/held/delete\" class=\"inline\">").append(csrf(session)).append(hidden)
                .append("<button type=\"submit\" class=\"delete\">Delete</button></form>")
                .append("</td></tr>\n");
        }
        StringBuilder problems = new StringBuilder();
        for (String problem : listing.unreachable()) {
            problems.append("<li>").append(escape(problem)).append("</li>");
        }
        return layout("Held mail", Optional.of(session), notice(notice, "notice")
            + (problems.isEmpty() ? "" : "<ul class=\"warn\" id=\"held-unreachable\">" + problems + "</ul>") + """
            <p class="hint">A release runs the policy again: a mail that still cannot go out as the policy says is held
            again under a new id.</p>
            <table id="held"><thead><tr><th>Node</th><th>Id</th><th>Held at</th><th>Sender</th><th>Recipients</th><th>Reason</th><th></th></tr></thead>
            <tbody>%s</tbody></table>""".formatted(rows));
    }

    static String error(Optional<ConsoleSessions.Session> session, String title, String message) {
        return layout(title, session, "<p class=\"error\" id=\"error\">" + escape(message) + "</p>");
    }
}
