package org.sealgate.gina.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.sealgate.gina.account.GinaAccount;
import org.sealgate.gina.container.ContainerException;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.session.InvalidSealException;
import org.sealgate.gina.session.SessionClaims;

/**
 * Inside a session: read the message, download attachments, reply, log out. Each request re-posts the container
 * (the portal stores no message) and is checked in this order: session token (seal, expiry, generation against
 * the replicated account), anti-CSRF echo, recipient, then the container's GCM tags. Only then is anything shown.
 */
final class MessageFlows {
    /** Types a browser may show or hand to an application as they are; anything else is application/octet-stream. */
    private static final Set<String> SAFE_TYPES = Set.of("application/pdf", "image/png", "image/jpeg", "image/gif",
        "text/plain", "text/csv", "application/zip", "message/rfc822");

    private final PortalContext context;

    MessageFlows(PortalContext context) {
        this.context = context;
    }

    PortalResponse startSession(FormInput input, GinaContainer container, GinaAccount account) throws Exception {
        String token = context.sessions().issue(account.address(), account.sessionGeneration());
        SessionClaims claims = context.sessions().open(token);
        return show(input, new Authenticated(claims, container, input.fieldOrEmpty("container")))
            .cookie(Cookies.session(token)).cookie(Cookies.expired(Cookies.PRE_SESSION));
    }

    /** On /open: a valid session for this very recipient (same-site navigation) goes straight to the message. */
    Optional<PortalResponse> continueSession(FormInput input, GinaContainer container) throws Exception {
        Optional<String> token = input.cookie(Cookies.SESSION);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<SessionClaims> claims = verify(token.get(), input, false);
        if (claims.isEmpty() || !claims.get().address().equals(container.recipient())) {
            return Optional.empty();
        }
        return Optional.of(show(input, new Authenticated(claims.get(), container, input.fieldOrEmpty("container"))));
    }

    PortalResponse message(FormInput input) throws Exception {
        return withSession(input, "read", a -> show(input, a));
    }

    PortalResponse attachment(FormInput input) throws Exception {
        return withSession(input, "download", a -> {
            MessageView view = view(a);
            int index;
            try {
                index = Integer.parseInt(input.fieldOrEmpty("part"));
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= view.attachments().size()) {
                return PortalResponse.html(404, Pages.error("No such attachment", "The message has no such attachment."));
            }
            MessageView.Attachment attachment = view.attachments().get(index);
            String type = SAFE_TYPES.contains(attachment.contentType()) ? attachment.contentType() : "application/octet-stream";
            audit("download", a, input, "ok", Map.of("part", Integer.toString(index), "bytes",
                Integer.toString(attachment.content().length)));
            return PortalResponse.bytes(type, attachment.content())
                .header("Content-Disposition", ContentDisposition.attachment(attachment.fileName()));
        });
    }

    PortalResponse compose(FormInput input) throws Exception {
        return withSession(input, "compose", a -> {
            MessageView view = view(a);
            ReplySender.Mode mode = ReplySender.mode(input.fieldOrEmpty("mode"));
            List<String> to = new ArrayList<>(ReplySender.recipients(view, a.claims().address(), mode).keySet());
            return PortalResponse.html(200, MessagePages.compose(view, mode == ReplySender.Mode.REPLY_ALL ? "reply-all" : "reply",
                to, a.containerText(), a.claims().csrfToken(), context.maxReplyAttachmentBytes(), Optional.empty(), ""));
        });
    }

    PortalResponse reply(FormInput input) throws Exception {
        return withSession(input, "reply", a -> {
            MessageView view = view(a);
            ReplySender.Mode mode = ReplySender.mode(input.fieldOrEmpty("mode"));
            String modeText = mode == ReplySender.Mode.REPLY_ALL ? "reply-all" : "reply";
            List<FormInput.Upload> uploads = input.uploads().stream().filter(u -> u.content().length > 0).toList();
            long total = uploads.stream().mapToLong(u -> u.content().length).sum();
            List<String> to = new ArrayList<>(ReplySender.recipients(view, a.claims().address(), mode).keySet());
            if (total > context.maxReplyAttachmentBytes()) {
                audit("reply", a, input, "refused-too-large", Map.of("bytes", Long.toString(total)));
                return PortalResponse.html(413, MessagePages.compose(view, modeText, to, a.containerText(),
                    a.claims().csrfToken(), context.maxReplyAttachmentBytes(),
                    Optional.of("The attachments are too large (" + total + " bytes; the limit is "
                        + context.maxReplyAttachmentBytes() + ")."), input.fieldOrEmpty("body")));
            }
            if (!context.accounts().tryReply(a.claims().address(), context.repliesPerHour())) {
                audit("reply", a, input, "refused-rate-limited", Map.of("perHour", Integer.toString(context.repliesPerHour())));
                return PortalResponse.html(429, MessagePages.compose(view, modeText, to, a.containerText(),
                    a.claims().csrfToken(), context.maxReplyAttachmentBytes(),
                    Optional.of("You have sent the most replies allowed in one hour; please try again later."),
                    input.fieldOrEmpty("body")));
            }
            try {
                List<String> sent = context.replies().send(a.claims().address(), view, mode, input.fieldOrEmpty("body"), uploads);
                audit("reply", a, input, "sent", Map.of("mode", modeText, "recipients", String.join(",", sent),
                    "attachments", Integer.toString(uploads.size())));
                return PortalResponse.html(200, MessagePages.sent(sent, a.containerText(), a.claims().csrfToken()));
            } catch (javax.mail.MessagingException e) {
                audit("reply", a, input, "failed", Map.of("error", String.valueOf(e.getMessage())));
                return PortalResponse.html(502, MessagePages.compose(view, modeText, to, a.containerText(),
                    a.claims().csrfToken(), context.maxReplyAttachmentBytes(),
                    Optional.of("The reply could not be handed to the gateway; please try again later."), input.fieldOrEmpty("body")));
            }
        });
    }

    PortalResponse logout(FormInput input) throws Exception {
        Optional<String> token = input.cookie(Cookies.SESSION);
        Optional<SessionClaims> claims = token.isEmpty() ? Optional.empty() : verify(token.get(), input, true);
        if (claims.isEmpty()) {
            return sessionRefused();
        }
        if (!Cookies.matches(claims.get().csrfToken(), input.fieldOrEmpty("csrf"))) {
            return csrfRefused(input, claims.get(), "logout");
        }
        context.accounts().endSessions(claims.get().address());
        context.audit().record("logout", claims.get().address(), null, input.client(), "ok",
            Map.of("session", claims.get().tokenId()));
        return PortalResponse.html(200, Pages.loggedOut()).cookie(Cookies.expired(Cookies.SESSION));
    }

    record Authenticated(SessionClaims claims, GinaContainer container, String containerText) {
    }

    private interface Action {
        PortalResponse run(Authenticated authenticated) throws Exception;
    }

    private PortalResponse withSession(FormInput input, String step, Action action) throws Exception {
        Optional<String> token = input.cookie(Cookies.SESSION);
        Optional<SessionClaims> claims = token.isEmpty() ? Optional.empty() : verify(token.get(), input, true);
        if (claims.isEmpty()) {
            if (token.isEmpty()) {
                context.audit().record("session-refused", null, null, input.client(), "missing", Map.of("step", step));
            }
            return sessionRefused();
        }
        if (!Cookies.matches(claims.get().csrfToken(), input.fieldOrEmpty("csrf"))) {
            return csrfRefused(input, claims.get(), step);
        }
        GinaContainer container;
        try {
            container = GinaContainer.fromBase64Url(input.fieldOrEmpty("container"));
        } catch (ContainerException e) {
            return containerRefused(input, claims.get().address(), null, e);
        }
        SessionClaims current = claims.get();
        Optional<String> renewed = Optional.empty();
        if (context.sessions().shouldRenew(current)) {
            renewed = Optional.of(context.sessions().renew(current));
            current = context.sessions().open(renewed.get());
        }
        try {
            PortalResponse response = action.run(new Authenticated(current, container, input.fieldOrEmpty("container")));
            renewed.ifPresent(fresh -> response.cookie(Cookies.session(fresh)));
            return response;
        } catch (ContainerException e) {
            return containerRefused(input, claims.get().address(), container.messageId(), e);
        }
    }

    private PortalResponse show(FormInput input, Authenticated a) throws Exception {
        MessageView view;
        try {
            view = view(a);
        } catch (ContainerException e) {
            return containerRefused(input, a.claims().address(), a.container().messageId(), e);
        }
        audit("read", a, input, "ok", Map.of("attachments", Integer.toString(view.attachments().size())));
        return PortalResponse.html(200, MessagePages.message(a.claims().address(), view, a.containerText(), a.claims().csrfToken()));
    }

    private MessageView view(Authenticated a) throws Exception {
        byte[] mime = context.crypto().open(a.container(), a.claims().address(), context.ginaKeys());
        return MessageView.parse(mime);
    }

    private Optional<SessionClaims> verify(String token, FormInput input, boolean auditFailure) throws Exception {
        try {
            SessionClaims claims = context.sessions().open(token);
            Optional<GinaAccount> account = context.accounts().find(claims.address());
            if (account.isEmpty()) {
                throw new InvalidSealException("no account for the session's address");
            }
            return Optional.of(context.sessions().verify(token, account.get().sessionGeneration()));
        } catch (InvalidSealException e) {
            if (auditFailure) {
                context.audit().record("session-refused", null, null, input.client(), "refused", Map.of("reason", e.getMessage()));
            }
            return Optional.empty();
        }
    }

    private PortalResponse sessionRefused() {
        return PortalResponse.html(401, Pages.error("Your session has ended",
            "You are not logged in (the session expired, was ended by logout or a password reset, or is not valid here)."))
            .cookie(Cookies.expired(Cookies.SESSION));
    }

    private PortalResponse csrfRefused(FormInput input, SessionClaims claims, String step) {
        context.audit().record("csrf-refused", claims.address(), null, input.client(), "refused", Map.of("step", step));
        return PortalResponse.html(403, Pages.error("Request refused", "This form was not sent from this portal's own page."));
    }

    private PortalResponse containerRefused(FormInput input, String address, String messageId, ContainerException e) {
        context.audit().record("container-refused", address, messageId, input.client(),
            e.failure().name().toLowerCase(Locale.ROOT), Map.of());
        String message = switch (e.failure()) {
            case WRONG_RECIPIENT -> "This secure message was sent to another address than the one you are logged in as.";
            case INTEGRITY -> "This secure message failed its integrity check: it was changed after it was sent. Nothing of it is shown.";
            case UNKNOWN_KEY, RETIRED_KEY -> "This secure message was sealed with a key this portal no longer (or not yet) accepts. Ask the sender to send it again.";
            default -> "The secure-message file is damaged or incomplete. Ask the sender to send the message again.";
        };
        return PortalResponse.html(400, Pages.error("This secure message cannot be opened", message));
    }

    private void audit(String event, Authenticated a, FormInput input, String outcome, Map<String, String> detail) {
        context.audit().record(event, a.claims().address(), a.container().messageId(), input.client(), outcome, detail);
    }
}
