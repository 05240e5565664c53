package org.sealgate.console;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.sealgate.zk.console.AdminAccounts;

/**
 * Login (name, Argon2id password, TOTP code) and logout. Failures are throttled per (admin name, client address)
 * and per client address (doubling waits after a few); every attempt is audited with the name typed and why it failed, while the
 * visitor sees one message for every failure.
 */
final class AuthFlow {
    static final String FAILED = "Wrong name, password or authenticator code.";
    private final ConsoleContext context;

    AuthFlow(ConsoleContext context) {
        this.context = context;
    }

    /**
     * The login form; the browser's pre-login value is kept when it has a well-formed one, so a second request
     * (another tab, the favicon) does not invalidate the form already shown.
     */
    ConsoleResponse loginPage(Optional<String> error, int status, Map<String, String> cookies) {
        String existing = cookies.get(ConsoleCookies.PRE_SESSION);
        String pre = existing != null && existing.matches("[A-Za-z0-9_-]{43}") ? existing : ConsoleSessions.random();
        return ConsoleResponse.html(status, ConsolePages.login(pre, error)).cookie(ConsoleCookies.preSession(pre));
    }

    ConsoleResponse login(Map<String, String> form, Map<String, String> cookies, String client) throws Exception {
        String name = form.getOrDefault("name", "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!ConsoleSessions.matches(cookies.get(ConsoleCookies.PRE_SESSION), form.get("csrf"))) {
            context.audit().record(name, "login", "refused", client, Map.of("reason", "csrf"));
            return loginPage(Optional.of("The login form expired or came from elsewhere; please log in again."), 403, Map.of());
        }
        // Per (name, client) rather than per name: guessing from one address cannot lock the real admin out elsewhere.
        String nameKey = "admin:" + (AdminAccounts.validName(name) ? name : "(invalid)") + "@" + client;
        String clientKey = "client:" + client;
        Optional<Instant> blocked = context.throttle().blockedUntil(nameKey);
        if (blocked.isEmpty()) {
            blocked = context.throttle().blockedUntil(clientKey);
        }
        if (blocked.isPresent()) {
            context.audit().record(name, "login", "refused", client, Map.of("reason", "throttled"));
            return loginPage(Optional.of("Too many failed logins. Try again after "
                + DateTimeFormatter.ISO_INSTANT.format(blocked.get().truncatedTo(ChronoUnit.SECONDS)) + "."), 429, cookies);
        }
        AdminAccounts.Outcome outcome = context.accounts().login(name, form.getOrDefault("password", ""), form.get("code"));
        if (outcome != AdminAccounts.Outcome.ACCEPTED) {
            context.throttle().fail(nameKey);
            context.throttle().fail(clientKey);
            context.audit().record(name, "login", "refused", client,
                Map.of("reason", outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
            return loginPage(Optional.of(FAILED), 403, cookies);
        }
        context.throttle().clear(nameKey);
        context.throttle().clear(clientKey);
        ConsoleSessions.Session session = context.sessions().open(name);
        context.audit().record(name, "login", "success", client, Map.of());
        return ConsoleResponse.redirect("/")
            .cookie(ConsoleCookies.session(session.id(), context.sessions().maxLifetime()))
            .cookie(ConsoleCookies.expired(ConsoleCookies.PRE_SESSION));
    }

    ConsoleResponse logout(ConsoleSessions.Session session, String client) {
        context.sessions().close(session.id());
        context.audit().record(session.admin(), "logout", "success", client, Map.of());
        return ConsoleResponse.redirect("/login").cookie(ConsoleCookies.expired(ConsoleCookies.SESSION));
    }
}
