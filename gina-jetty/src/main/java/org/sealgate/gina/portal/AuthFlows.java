package org.sealgate.gina.portal;

import java.util.Map;
import java.util.Optional;

import org.sealgate.gina.account.AccountException;
import org.sealgate.gina.account.AccountState;
import org.sealgate.gina.account.GinaAccount;
import org.sealgate.gina.account.LoginResult;
import org.sealgate.gina.account.Recovery;
import org.sealgate.gina.container.ContainerException;
import org.sealgate.gina.container.GinaContainer;

/**
 * Before a session exists: the container posted from {@code secure-message.html}, registration, login and
 * self-service reset. The login address is the container's recipient (authenticated data of the container), so
 * a recipient never types it. Forms echo the pre-session cookie (double-submit anti-CSRF). Every container is
 * authenticated (its header against the cluster GINA key) before any account is looked up, so a forged container
 * learns nothing about accounts and costs no one a failed attempt. Secrets are checked throttled per (account,
 * client address) and per client address ({@link org.sealgate.gina.throttle.GinaLimits}).
 */
final class AuthFlows {
    /** Longest pre-login form field other than the container (passwords are at most 256 characters). */
    static final int MAX_FIELD_CHARS = 1024;
    private final PortalContext context;
    private final MessageFlows messages;

    AuthFlows(PortalContext context, MessageFlows messages) {
        this.context = context;
        this.messages = messages;
    }

    /** POST /open: cross-site by design (from a local file); it changes nothing, it only shows the right form. */
    PortalResponse open(FormInput input) throws Exception {
        Optional<GinaContainer> container = parse(input, "open");
        if (container.isEmpty()) {
            return refusedContainer();
        }
        GinaContainer c = container.get();
        Optional<PortalResponse> continued = messages.continueSession(input, c);
        if (continued.isPresent()) {
            return continued.get();
        }
        String pre = Cookies.randomValue();
        audit("open", c, input, "ok", Map.of());
        return formFor(c, input.fieldOrEmpty("container"), pre, Optional.empty(), 200).cookie(Cookies.preSession(pre));
    }

    /** POST /login. */
    PortalResponse login(FormInput input) throws Exception {
        Checked in;
        try {
            in = checked(input, "login");
        } catch (Refused e) {
            return e.response;
        }
        LoginResult result = context.accounts().login(in.container().recipient(), input.client(), input.fieldOrEmpty("password"));
        audit("login", in.container(), input, result.outcome().name().toLowerCase(java.util.Locale.ROOT), Map.of());
        return switch (result.outcome()) {
            case SUCCESS -> messages.startSession(input, in.container(), result.account().orElseThrow());
            case INVALID -> loginPage(in, "Wrong password.", 401);
            case TEMPORARILY_LOCKED -> loginPage(in, "Too many failed attempts. Try again after "
                + result.retryAfter().orElseThrow() + ".", 429);
            case LOCKED -> PortalResponse.html(423, Pages.error("Account locked",
                "Too many failed attempts: this account is locked. Ask the sender or your administrator for a password reset."));
        };
    }

    /** POST /register: first password → own password, optional recovery data. */
    PortalResponse register(FormInput input) throws Exception {
        Checked in;
        try {
            in = checked(input, "register");
        } catch (Refused e) {
            return e.response;
        }
        String password = input.fieldOrEmpty("password");
        if (!password.equals(input.fieldOrEmpty("password2"))) {
            return registerPage(in, "The two new passwords differ.", 400);
        }
        Optional<String> question = input.field("question").map(String::strip).filter(q -> !q.isEmpty());
        Optional<String> answer = input.field("answer").map(String::strip).filter(a -> !a.isEmpty());
        if (question.isPresent() != answer.isPresent()) {
            return registerPage(in, "Give both a security question and its answer, or neither.", 400);
        }
        try {
            GinaAccount account = context.accounts().register(in.container().recipient(), input.client(),
                input.fieldOrEmpty("first-password"), password,
                new Recovery(question, answer, input.field("phone").map(String::strip)));
            audit("register", in.container(), input, "success", Map.of("securityQuestion", Boolean.toString(question.isPresent())));
            return messages.startSession(input, in.container(), account);
        } catch (AccountException e) {
            audit("register", in.container(), input, e.reason().name().toLowerCase(java.util.Locale.ROOT), Map.of());
            return switch (e.reason()) {
                case LOCKED -> PortalResponse.html(429, Pages.error("Please wait", e.getMessage()));
                case WEAK_PASSWORD -> registerPage(in, e.getMessage(), 400);
                case EXPIRED -> registerPage(in, "Your first password has expired. Ask the sender for a new one.", 401);
                default -> registerPage(in, "The first password is wrong.", 401);
            };
        }
    }

    /** POST /forgot: the security question, or how to get a reset. */
    PortalResponse forgot(FormInput input) throws Exception {
        Checked in;
        try {
            in = checked(input, "forgot");
        } catch (Refused e) {
            return e.response;
        }
        Optional<String> question = context.selfServiceReset()
            ? context.accounts().securityQuestion(in.container().recipient()) : Optional.empty();
        audit("reset-requested", in.container(), input, question.isPresent() ? "question" : "no-self-service", Map.of());
        return PortalResponse.html(200, Pages.forgot(in.container().recipient(), in.containerText(), in.csrf(), question,
            Optional.empty()));
    }

    /** POST /reset: self-service reset with the security answer. */
    PortalResponse reset(FormInput input) throws Exception {
        Checked in;
        try {
            in = checked(input, "reset");
        } catch (Refused e) {
            return e.response;
        }
        if (!context.selfServiceReset()) {
            return PortalResponse.html(403, Pages.error("Not available", "Self-service password reset is switched off."));
        }
        String recipient = in.container().recipient();
        Optional<String> question = context.accounts().securityQuestion(recipient);
        String password = input.fieldOrEmpty("password");
        if (!password.equals(input.fieldOrEmpty("password2"))) {
            return PortalResponse.html(400, Pages.forgot(recipient, in.containerText(), in.csrf(), question,
                Optional.of("The two new passwords differ.")));
        }
        try {
            context.accounts().resetWithSecurityAnswer(recipient, input.client(), input.fieldOrEmpty("answer"), password);
            audit("reset", in.container(), input, "success", Map.of("by", "security-question"));
            return PortalResponse.html(200, Pages.login(recipient, in.containerText(), in.csrf(),
                Optional.of("Your password was changed. Log in with the new password."), context.selfServiceReset()));
        } catch (AccountException e) {
            audit("reset", in.container(), input, e.reason().name().toLowerCase(java.util.Locale.ROOT), Map.of("by", "security-question"));
            return PortalResponse.html(e.reason() == AccountException.Reason.LOCKED ? 429 : 401,
                Pages.forgot(recipient, in.containerText(), in.csrf(), question, Optional.of(e.getMessage())));
        }
    }

    private PortalResponse formFor(GinaContainer c, String containerText, String csrf, Optional<String> error, int status)
        throws Exception {
        Optional<GinaAccount> account = context.accounts().find(c.recipient());
        if (account.isEmpty()) {
            return PortalResponse.html(404, Pages.error("No account yet",
                "There is no secure-mail account for " + c.recipient() + ". Ask the sender for your first password."));
        }
        if (account.get().state() == AccountState.AWAITING_REGISTRATION) {
            return PortalResponse.html(status, Pages.register(c.recipient(), containerText, csrf, error));
        }
        if (account.get().state() == AccountState.LOCKED) {
            return PortalResponse.html(423, Pages.error("Account locked",
                "This account is locked. Ask the sender or your administrator for a password reset."));
        }
        return PortalResponse.html(status, Pages.login(c.recipient(), containerText, csrf, error, context.selfServiceReset()));
    }

    private PortalResponse loginPage(Checked in, String error, int status) {
        return PortalResponse.html(status, Pages.login(in.container().recipient(), in.containerText(), in.csrf(),
            Optional.of(error), context.selfServiceReset()));
    }

    private PortalResponse registerPage(Checked in, String error, int status) {
        return PortalResponse.html(status, Pages.register(in.container().recipient(), in.containerText(), in.csrf(),
            Optional.of(error)));
    }

    private record Checked(GinaContainer container, String containerText, String csrf) {
    }

    /** A form that cannot be processed; {@code response} says why. */
    private static final class Refused extends Exception {
        final transient PortalResponse response;

        Refused(PortalResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /** The form echoes the pre-session cookie (else 403), its fields are short (else 400), its container is ours (else 400). */
    private Checked checked(FormInput input, String event) throws Refused {
        Optional<String> cookie = input.cookie(Cookies.PRE_SESSION);
        String csrf = input.fieldOrEmpty("csrf");
        if (cookie.isEmpty() || !Cookies.matches(cookie.get(), csrf)) {
            throw new Refused(preCsrfRefused(input, event));
        }
        boolean oversized = input.fields().entrySet().stream()
            .anyMatch(f -> !f.getKey().equals("container") && f.getValue().length() > MAX_FIELD_CHARS);
        if (oversized) {
            context.audit().record("form-refused", null, null, input.client(), "field-too-long", Map.of("step", event));
            throw new Refused(PortalResponse.html(400, Pages.error("Request refused", "A form field is too long.")));
        }
        Optional<GinaContainer> container = parse(input, event);
        if (container.isEmpty()) {
            throw new Refused(refusedContainer());
        }
        return new Checked(container.get(), input.fieldOrEmpty("container"), csrf);
    }

    private Optional<GinaContainer> parse(FormInput input, String event) {
        try {
            GinaContainer container = GinaContainer.fromBase64Url(input.fieldOrEmpty("container"));
            context.crypto().authenticate(container, context.ginaKeys());
            return Optional.of(container);
        } catch (ContainerException e) {
            context.audit().record("container-refused", null, null, input.client(), e.failure().name().toLowerCase(java.util.Locale.ROOT),
                Map.of("step", event));
            return Optional.empty();
        }
    }

    private PortalResponse refusedContainer() {
        return PortalResponse.html(400, Pages.error("This secure message cannot be opened",
            "The secure-message file is damaged or incomplete. Ask the sender to send the message again."));
    }

    private PortalResponse preCsrfRefused(FormInput input, String event) {
        context.audit().record("csrf-refused", null, null, input.client(), "refused", Map.of("step", event));
        return PortalResponse.html(403, Pages.error("Request refused",
            "This form was not sent from this portal's own page (or it expired)."));
    }

    private void audit(String event, GinaContainer c, FormInput input, String outcome, Map<String, String> detail) {
        context.audit().record(event, c.recipient(), c.messageId(), input.client(), outcome, detail);
    }
}
