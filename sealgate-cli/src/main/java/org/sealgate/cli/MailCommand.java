package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMessage;
import org.sealgate.node.HeldMailKeys;
import org.sealgate.node.NodeLayout;

/**
 * {@code sealgate mail held list | show ID [--body] | release ID | delete ID [--data DIR] [--wait SECONDS]}: one
 * node's held mail, read with the node's key from its data directory (run as the node's user). Release and delete
 * are requests the running node carries out and audits (a release runs the policy again); the command waits for
 * the node to act, up to {@code --wait} seconds (default 15; 0: do not wait). With {@code --cluster} (list) or
 * {@code --node ID} (show, release, delete): every node's held mail through its admin endpoint
 * ({@link MailClusterCommand}).
 */
final class MailCommand {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int DEFAULT_WAIT_SECONDS = 15;

    private MailCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        List<String> rest = new ArrayList<>(args);
        boolean body = rest.remove("--body");
        boolean cluster = rest.remove("--cluster");
        Arguments arguments = new Arguments(rest, Set.of("data", "wait", "node", ZkTarget.ZK, ZkTarget.ADMIN_CREDENTIALS,
            ZkTarget.ZK_TLS));
        if (!arguments.positional(0, "mail subcommand (held)").equals("held")) {
            throw new Arguments.UsageException("unknown mail subcommand '" + arguments.positional(0, "") + "' (known: held)");
        }
        String action = arguments.positional(1, "held action (list, show ID, release ID, delete ID)");
        if (!Set.of("list", "show", "release", "delete").contains(action)) {
            throw new Arguments.UsageException("unknown held action '" + action + "' (known: list, show, release, delete)");
        }
        if (cluster || arguments.option("node").isPresent()) {
            try {
                return MailClusterCommand.run(action, arguments, out, err);
            } catch (org.sealgate.zk.store.ConfigStoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        NodeLayout layout = new NodeLayout(arguments.dataDirectory());
        HeldMailStore store = HeldMailKeys.store(layout, false);
        try {
            return switch (action) {
                case "list" -> list(store, out);
                case "show" -> show(store, id(arguments), body, out);
                case "release" -> request(store, id(arguments), HeldMailStore.Action.RELEASE, waitSeconds(arguments), out, err);
                case "delete" -> request(store, id(arguments), HeldMailStore.Action.DELETE, waitSeconds(arguments), out, err);
                default -> throw new Arguments.UsageException("unknown held action '" + action
                    + "' (known: list, show, release, delete)");
            };
        } catch (HeldMailException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static int list(HeldMailStore store, PrintStream out) {
        HeldMailStore.Listing listing = store.list();
        if (listing.mails().isEmpty() && listing.unreadable().isEmpty()) {
            out.println("no held mail");
            return 0;
        }
        for (HeldMail mail : listing.mails()) {
            out.println(mail.id() + "  " + mail.heldAt() + "  from " + TerminalText.line(mail.sender().isEmpty() ? "<>" : mail.sender())
                + "  to " + TerminalText.line(String.join(", ", mail.recipients())));
            out.println("    subject: " + TerminalText.line(mail.subject()));
            out.println("    reason:  " + TerminalText.line(mail.reason()));
        }
        for (Map.Entry<String, String> entry : listing.unreadable().entrySet()) {
            out.println(entry.getKey() + "  unreadable: " + TerminalText.line(entry.getValue()));
        }
        return 0;
    }

    private static int show(HeldMailStore store, String id, boolean body, PrintStream out) throws HeldMailException {
        HeldMessage message = store.open(id);
        HeldMail mail = message.mail();
        out.println("Held-Id: " + mail.id());
        out.println("Held-At: " + mail.heldAt());
        out.println("Held-On: " + TerminalText.line(mail.node()));
        out.println("Held-Reason: " + TerminalText.line(mail.reason()));
        out.println("Envelope-From: " + TerminalText.line(mail.sender().isEmpty() ? "<>" : mail.sender()));
        out.println("Envelope-To: " + TerminalText.line(String.join(", ", mail.recipients())));
        out.println("Client: " + TerminalText.line(mail.remoteHost() + " [" + mail.remoteAddr() + "]")
            + (mail.trustedClient() ? " trusted" : ""));
        out.println();
        String text = new String(message.content(), StandardCharsets.UTF_8);
        // The mail's own bytes may carry terminal escape sequences: printed escaped.
        if (body) {
            out.print(TerminalText.block(text));
        } else {
            int end = headerEnd(text);
            out.print(TerminalText.block(text.substring(0, end)));
            if (end < text.length()) {
                out.println("(body not shown: --body)");
            }
        }
        out.flush();
        return 0;
    }

    private static int request(HeldMailStore store, String id, HeldMailStore.Action action, int waitSeconds,
                               PrintStream out, PrintStream err) throws HeldMailException, InterruptedException {
        HeldMail mail = store.metadata(id);     // refuses an unknown or unreadable id before asking the node
        store.request(id, action);
        String verb = action == HeldMailStore.Action.RELEASE ? "release" : "delete";
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline && store.isRequested(id, action)) {
            Thread.sleep(POLL.toMillis());
        }
        if (store.isRequested(id, action)) {
            err.println("sealgate: " + verb + " of " + id + " requested; the node has not acted on it"
                + (waitSeconds > 0 ? " within " + waitSeconds + " s" : "") + ". Is a node running with --data "
                + "on this directory? It acts on the request when it runs.");
            return 0;
        }
        if (action == HeldMailStore.Action.RELEASE) {
            boolean released = !held(store, id);
            out.println(released
                ? "released " + id + " (" + String.join(", ", mail.recipients()) + "): the policy decides it again;"
                    + " if it is held again it is listed under a new id"
                : "not released " + id + ": the node could not open it (see the node's log and audit trail)");
            return released ? 0 : 1;
        }
        out.println("deleted " + id);
        return 0;
    }

    private static boolean held(HeldMailStore store, String id) {
        try {
            store.metadata(id);
            return true;
        } catch (HeldMailException e) {
            return false;
        }
    }

    private static String id(Arguments arguments) {
        String id = arguments.positional(2, "held mail id (see 'sealgate mail held list')");
        if (!HeldMail.isId(id)) {
            throw new Arguments.UsageException("'" + id + "' is not a held mail id (24 hex digits, see 'sealgate mail held list')");
        }
        return id;
    }

    private static int waitSeconds(Arguments arguments) {
        String value = arguments.option("wait").orElse(Integer.toString(DEFAULT_WAIT_SECONDS));
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Arguments.UsageException("--wait takes seconds from 0 to 3600, not '" + value + "'");
    }

    private static int headerEnd(String text) {
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            return crlf + 2;
        }
        return lf >= 0 ? lf + 1 : text.length();
    }
}
