package org.sealgate.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The held-mail part of the admin endpoint, after the token was checked: {@code GET /held} (JSON list),
 * {@code GET /held/ID} (envelope and headers as text, never the body), {@code POST /held/ID/release},
 * {@code POST /held/ID/delete} (JSON result). Ids are checked before any use ({@link HeldMail#isId}).
 */
final class HeldRequests {
    static final String JSON_TYPE = "application/json";
    private static final Pattern PATH = Pattern.compile("/held(?:/([^/]+)(?:/(release|delete))?)?");
    private static final Pattern CALLER = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, content type, body. */
    record Answer(int status, String type, byte[] body) {
        static Answer text(int status, String text) {
            return new Answer(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final String nodeId;
    private final HeldMailAccess held;

    HeldRequests(String nodeId, HeldMailAccess held) {
        this.nodeId = nodeId;
        this.held = held;
    }

    static boolean handles(String path) {
        return path.equals("/held") || path.startsWith("/held/");
    }

    /** The method a path takes, or null when it is no held-mail path. */
    static String allowed(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        return m.group(2) == null ? "GET" : "POST";
    }

    /** A caller name as the audit trail records it: plain characters only, else {@code unnamed}. */
    static String caller(String header) {
        return header != null && CALLER.matcher(header).matches() ? header : "unnamed";
    }

    Answer handle(String method, String path, String caller) throws Exception {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return Answer.text(404, "not found\n");
        }
        String id = m.group(1);
        String action = m.group(2);
        if (id == null) {
            return json(200, listing());
        }
        if (!HeldMail.isId(id)) {
            return Answer.text(400, "not a held mail id\n");
        }
        try {
            if (action == null) {
                return Answer.text(200, show(held.open(id)));
            }
            HeldMailAccess.Result result = action.equals("release") ? held.release(id, caller) : held.delete(id, caller);
            ObjectNode body = JSON.createObjectNode().put("node", nodeId).put("id", id)
                .put("outcome", result.outcome()).put("message", result.message());
            return json(result.outcome().equals("not-released") ? 409 : 200, body);
        } catch (HeldMailException e) {
            return Answer.text(404, e.getMessage() + "\n");
        }
    }

    private ObjectNode listing() {
        HeldMailStore.Listing listing = held.list();
        ObjectNode root = JSON.createObjectNode().put("node", nodeId);
        ArrayNode mails = root.putArray("mails");
        for (HeldMail mail : listing.mails()) {
            ObjectNode item = mails.addObject().put("id", mail.id()).put("held-at", mail.heldAt().toString())
                .put("reason", mail.reason()).put("sender", mail.sender()).put("subject", mail.subject());
            ArrayNode recipients = item.putArray("recipients");
            mail.recipients().forEach(recipients::add);
        }
        ObjectNode unreadable = root.putObject("unreadable");
        for (Map.Entry<String, String> entry : listing.unreadable().entrySet()) {
            unreadable.put(entry.getKey(), entry.getValue());
        }
        return root;
    }

    private static String show(HeldMessage message) {
        HeldMail mail = message.mail();
        String text = new String(message.content(), StandardCharsets.UTF_8);
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        int end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : text.length();
        return "Held-Id: " + mail.id() + "\nHeld-At: " + mail.heldAt() + "\nHeld-On: " + mail.node()
            + "\nHeld-Reason: " + mail.reason() + "\nEnvelope-From: " + (mail.sender().isEmpty() ? "<>" : mail.sender())
            + "\nEnvelope-To: " + String.join(", ", mail.recipients()) + "\nClient: " + mail.remoteHost() + " ["
            + mail.remoteAddr() + "]" + (mail.trustedClient() ? " trusted" : "") + "\n\n" + text.substring(0, end);
    }

    private static Answer json(int status, ObjectNode body) throws Exception {
        return new Answer(status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }
}
