package org.sealgate.gina.portal;

import static org.sealgate.gina.container.SecureMessagePage.escape;

import java.util.Optional;

/**
 * The portal's pages (server-rendered, no JavaScript, one stylesheet from the portal itself, so a strict
 * Content-Security-Policy holds). Every form carries the container it is about and an anti-CSRF value; every
 * dynamic value goes through {@code escape}.
 */
final class Pages {
    private Pages() {
    }

    static String layout(String title, String body) {
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>%1$s</title><link rel="stylesheet" href="/static/portal.css"></head>
            <body><header><span class="brand">Sealgate secure mail</span></header>
            <main><h1 id="title">%1$s</h1>
            %2$s
            </main></body></html>
            """.formatted(escape(title), body);
    }

    /** The hidden fields every form carries: the container and the anti-CSRF value. */
    static String hidden(String container, String csrf) {
        return "<input type=\"hidden\" name=\"container\" value=\"" + escape(container) + "\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
    }

    static String notice(Optional<String> message, String cssClass) {
        return message.map(m -> "<p class=\"" + cssClass + "\" id=\"notice\">" + escape(m) + "</p>").orElse("");
    }

    static String login(String address, String container, String csrf, Optional<String> error, boolean selfService) {
        String forgot = selfService ? """
            <form method="post" action="/forgot">%s<button type="submit" class="link" id="forgot">Forgot your password?</button></form>
            """.formatted(hidden(container, csrf)) : "";
        return layout("Log in to read your secure message", notice(error, "error") + """
            <form method="post" action="/login" id="login-form">%s
            <p>Address: <strong id="address">%s</strong></p>
            <label>Password <input type="password" name="password" id="password" autocomplete="current-password" required></label>
            <button type="submit" id="login">Log in</button>
            </form>
            %s""".formatted(hidden(container, csrf), escape(address), forgot));
    }

    static String register(String address, String container, String csrf, Optional<String> error) {
        return layout("Register to read your secure message", notice(error, "error") + """
            <p>This is your first secure message at <strong id="address">%s</strong>. Enter the first password you
            were given (by the sender or by text message) and choose your own password.</p>
            <form method="post" action="/register" id="register-form">%s
            <label>First password <input type="password" name="first-password" id="first-password" autocomplete="off" required></label>
            <label>New password (at least 10 characters) <input type="password" name="password" id="new-password" autocomplete="new-password" required></label>
            <label>Repeat new password <input type="password" name="password2" id="new-password2" autocomplete="new-password" required></label>
            <fieldset><legend>Optional: to reset a forgotten password yourself</legend>
            <label>Security question <input type="text" name="question" id="question" maxlength="200"></label>
            <label>Answer <input type="text" name="answer" id="answer" maxlength="200" autocomplete="off"></label>
            <label>Mobile phone <input type="tel" name="phone" id="phone" maxlength="40"></label>
            </fieldset>
            <button type="submit" id="register">Register and read</button>
            </form>""".formatted(escape(address), hidden(container, csrf)));
    }

    static String forgot(String address, String container, String csrf, Optional<String> question, Optional<String> error) {
        if (question.isEmpty()) {
            return layout("Password reset", """
                <p id="notice">No security question is set for <strong>%s</strong>. Ask the sender of the message or your
                administrator for a password reset; you will receive a new first password.</p>""".formatted(escape(address)));
        }
        return layout("Password reset", notice(error, "error") + """
            <form method="post" action="/reset" id="reset-form">%s
            <p>Security question: <strong id="question">%s</strong></p>
            <label>Answer <input type="text" name="answer" id="answer" autocomplete="off" required></label>
            <label>New password <input type="password" name="password" id="new-password" autocomplete="new-password" required></label>
            <label>Repeat new password <input type="password" name="password2" id="new-password2" autocomplete="new-password" required></label>
            <button type="submit" id="reset">Set new password</button>
            </form>""".formatted(hidden(container, csrf), escape(question.get())));
    }

    static String error(String title, String message) {
        return layout(title, "<p class=\"error\" id=\"error\">" + escape(message) + "</p>"
            + "<p>Open the <em>secure-message.html</em> file from your e-mail again to start over.</p>");
    }

    static String landing() {
        return layout("Sealgate secure mail", """
            <p>To read a secure message, open the <em>secure-message.html</em> attachment of the e-mail you received
            and press <em>Open the secure message</em>.</p>""");
    }

    static String loggedOut() {
        return layout("You are logged out", "<p id=\"notice\">Your session has ended on every portal node. "
            + "Close this window; open the <em>secure-message.html</em> file again to read the message later.</p>");
    }
}
