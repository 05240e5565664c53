package org.sealgate.console;

import java.util.Map;
import java.util.Optional;

import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.store.ConfigConflictException;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.HistoryEntry;
import org.sealgate.zk.store.LineDiff;

/**
 * What a logged-in admin sees and does: cluster status from the node registry, the configuration history with
 * diffs and rollback (exactly as {@code ./sealgate config rollback}, version-checked against the version the admin
 * looked at), audit search, held mail. Every action is audited with the admin's name.
 */
final class AdminFlows {
    private final ConsoleContext context;

    AdminFlows(ConsoleContext context) {
        this.context = context;
    }

    ConsoleResponse status(ConsoleSessions.Session session) throws Exception {
        return ConsoleResponse.html(200, ConsolePages.status(session, NodeRegistry.read(context.zooKeeper()),
            context.reader().currentVersion(), context.zooKeeperConnected(), context.counters()));
    }

    ConsoleResponse history(ConsoleSessions.Session session, Optional<String> notice) throws Exception {
        ConfigStore store = context.reader();
        return ConsoleResponse.html(200, ConfigPages.history(session, store.history(), store.currentVersion(), notice));
    }

    ConsoleResponse diff(ConsoleSessions.Session session, Map<String, String> query) throws Exception {
        ConfigStore store = context.reader();
        int version = number(query.get("version"), "version");
        int against = query.containsKey("against") ? number(query.get("against"), "against") : version - 1;
        String newer = store.historyDocument(version);
        String older = against <= 0 ? "" : store.historyDocument(against);
        String diff = LineDiff.unified(older, newer, against <= 0 ? "(empty)" : "version " + against, "version " + version);
        return ConsoleResponse.html(200, ConfigPages.diff(session, version, against, diff, store.currentVersion()));
    }

    ConsoleResponse rollback(ConsoleSessions.Session session, Map<String, String> form, String client) throws Exception {
        int version = number(form.get("version"), "version");
        int expected = number(form.get("expected"), "expected");
        ConfigStore store = context.writer(session.admin());
        try {
            HistoryEntry entry = store.apply(store.historyDocument(version), expected, "rollback to version " + version);
            context.audit().record(session.admin(), "config-rollback", "success", client,
                Map.of("to-document-of", Integer.toString(version), "new-version", Integer.toString(entry.version())));
            return history(session, Optional.of("Rolled back to the document of version " + version
                + "; it is now configuration version " + entry.version() + "."));
        } catch (ConfigConflictException e) {
            context.audit().record(session.admin(), "config-rollback", "conflict", client,
                Map.of("to-document-of", Integer.toString(version), "expected", Integer.toString(expected)));
            return ConsoleResponse.html(409, ConsolePages.error(Optional.of(session), "Changed meanwhile",
                e.getMessage() + " Nothing was written; look at the versions again."));
        } catch (InvalidConfigException e) {
            context.audit().record(session.admin(), "config-rollback", "refused", client,
                Map.of("to-document-of", Integer.toString(version)));
            return ConsoleResponse.html(422, ConsolePages.error(Optional.of(session), "Refused", e.getMessage()));
        }
    }

    ConsoleResponse audit(ConsoleSessions.Session session, Map<String, String> query, String client) throws Exception {
        String directory = context.auditSearch().directory().toString();
        if (query.isEmpty()) {
            return ConsoleResponse.html(200, AuditPages.search(session, query, Optional.empty(), Optional.empty(), directory));
        }
        AuditSearch.Query search;
        try {
            search = new AuditSearch.Query(query.getOrDefault("sender", "").strip(), query.getOrDefault("recipient", "").strip(),
                query.getOrDefault("message-id", "").strip(), AuditSearch.time(query.get("from")), AuditSearch.time(query.get("to")));
        } catch (IllegalArgumentException e) {
            return ConsoleResponse.html(400, AuditPages.search(session, query, Optional.empty(), Optional.of(e.getMessage()), directory));
        }
        AuditSearch.Result result = context.auditSearch().search(search);
        context.audit().record(session.admin(), "audit-search", "success", client, Map.of("sender", search.sender(),
            "recipient", search.recipient(), "message-id", search.messageId(), "from", query.getOrDefault("from", ""),
            "to", query.getOrDefault("to", ""), "matches", Integer.toString(result.hits().size())));
        return ConsoleResponse.html(200, AuditPages.search(session, query, Optional.of(result), Optional.empty(), directory));
    }

    ConsoleResponse held(ConsoleSessions.Session session, Optional<String> notice) throws Exception {
        HeldMail held = context.heldMail();
        return ConsoleResponse.html(200, ConsolePages.held(session, held,
            held.available() ? held.list() : new HeldMail.Listing(java.util.List.of(), java.util.List.of()), notice));
    }

    ConsoleResponse heldAction(ConsoleSessions.Session session, Map<String, String> form, String client, boolean release)
        throws Exception {
        HeldMail held = context.heldMail();
        String id = form.getOrDefault("id", "");
        String node = form.getOrDefault("node", "");
        String event = release ? "held-release" : "held-delete";
        if (!held.available()) {
            context.audit().record(session.admin(), event, "unavailable", client, Map.of("node", node, "id", id));
            return ConsoleResponse.html(409, ConsolePages.error(Optional.of(session), "Not available", held.why()));
        }
        if (!id.matches("[0-9a-f]{24}") || !node.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            context.audit().record(session.admin(), event, "refused", client, Map.of("node", node, "id", id));
            throw new IllegalArgumentException("not a held mail id and node");
        }
        HeldMail.Outcome outcome;
        try {
            outcome = release ? held.release(node, id, session.admin()) : held.delete(node, id, session.admin());
        } catch (java.io.IOException e) {
            context.audit().record(session.admin(), event, "failed", client, Map.of("node", node, "id", id,
                "problem", String.valueOf(e.getMessage())));
            return ConsoleResponse.html(502, ConsolePages.error(Optional.of(session), "Node did not do it",
                "Node " + node + ": " + e.getMessage()));
        }
        context.audit().record(session.admin(), event, outcome.done() ? "success" : "not-done", client,
            Map.of("node", node, "id", id));
        return held(session, Optional.of(node + ": " + outcome.message()));
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + what);
        }
    }
}
