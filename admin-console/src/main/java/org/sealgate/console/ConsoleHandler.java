package org.sealgate.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.zk.store.ConfigStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one handler: without a live session only the login page, its POST, the stylesheet and /healthz
 * answer (a page request is redirected to /login, a POST refused); with one, every POST must carry the session's
 * anti-CSRF value. Every answer carries the same security headers as the GINA portal (strict CSP, no caching,
 * no framing, no referrer). Blocking on purpose (Argon2id, ZooKeeper); every path completes the callback. Logs
 * name the event and client, never form values or cookies.
 */
final class ConsoleHandler extends Handler.Abstract {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final int MAX_FIELDS = 20;
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final int MAX_KEY_FORM_BYTES = 160 * 1024;

    private final ConsoleContext context;
    private final AuthFlow auth;
    private final AdminFlows flows;
    private final KeyFlows keyFlows;
    private final byte[] stylesheet;

    ConsoleHandler(ConsoleContext context) throws IOException {
        this.context = context;
        this.auth = new AuthFlow(context);
        this.flows = new AdminFlows(context);
        this.keyFlows = new KeyFlows(context);
        try (InputStream css = ConsoleHandler.class.getResourceAsStream("console.css")) {
            this.stylesheet = css.readAllBytes();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String client = Request.getRemoteAddr(request);
        ConsoleResponse answer;
        Optional<ConsoleSessions.Session> session = Optional.empty();
        try {
            Map<String, String> cookies = cookies(request);
            session = context.sessions().find(cookies.get(ConsoleCookies.SESSION));
            answer = switch (request.getMethod()) {
                case "GET", "HEAD" -> get(path, request, session, cookies, client);
                case "POST" -> post(path, request, session, cookies, client);
                default -> ConsoleResponse.text(405, "method not allowed").header("Allow", "GET, POST");
            };
        } catch (PasswordHasher.BusyException e) {
            answer = ConsoleResponse.html(503, ConsolePages.error(session, "Busy", "Too many logins at once; try again in a moment."))
                .header("Retry-After", "5");
        } catch (ConfigStoreException e) {
            LOGGER.error("{} {} from {}: ZooKeeper: {}", request.getMethod(), path, client, e.getMessage());
            answer = ConsoleResponse.html(503, ConsolePages.error(session, "ZooKeeper unavailable", e.getMessage()));
        } catch (IllegalArgumentException e) {
            answer = ConsoleResponse.html(400, ConsolePages.error(session, "Bad request", e.getMessage()));
        } catch (Throwable t) {
            LOGGER.error("{} {} from {} failed: {}", request.getMethod(), path, client, t.toString());
            answer = ConsoleResponse.html(500, ConsolePages.error(session, "Something went wrong",
                "The console could not complete this request; see its log."));
        }
        write(answer, request, response, callback);
        return true;
    }

    private static final java.util.Set<String> PAGES = java.util.Set.of("/", "/config", "/config/diff", "/audit", "/held", "/keys",
        "/keys/export", "/keys/export-pgp");

    private ConsoleResponse get(String path, Request request, Optional<ConsoleSessions.Session> session,
                                Map<String, String> cookies, String client) throws Exception {
        switch (path) {
            case "/healthz":
                return context.zooKeeperConnected() ? ConsoleResponse.text(200, "ok\n")
                    : ConsoleResponse.text(503, "unhealthy: ZooKeeper is unreachable\n");
            case "/static/console.css":
                return ConsoleResponse.bytes("text/css; charset=utf-8", stylesheet).header("Cache-Control", "public, max-age=3600");
            case "/login":
                return session.isPresent() ? ConsoleResponse.redirect("/") : auth.loginPage(Optional.empty(), 200, cookies);
            default:
                break;
        }
        if (!PAGES.contains(path)) {
            return ConsoleResponse.html(404, ConsolePages.error(session, "Not found", "There is nothing at this address."));
        }
        if (session.isEmpty()) {
            return ConsoleResponse.redirect("/login");
        }
        ConsoleSessions.Session s = session.get();
        return switch (path) {
            case "/" -> flows.status(s);
            case "/config" -> flows.history(s, Optional.empty());
            case "/config/diff" -> flows.diff(s, query(request));
            case "/audit" -> flows.audit(s, query(request), client);
            case "/held" -> flows.held(s, Optional.empty());
            case "/keys" -> keyFlows.page(s, Optional.empty(), Optional.empty());
            case "/keys/export" -> keyFlows.exportCertificate(s, query(request), client);
            case "/keys/export-pgp" -> keyFlows.exportPgp(s, query(request), client);
            default -> ConsoleResponse.html(404, ConsolePages.error(session, "Not found", "There is nothing at this address."));
        };
    }

    private ConsoleResponse post(String path, Request request, Optional<ConsoleSessions.Session> session,
                                 Map<String, String> cookies, String client) throws Exception {
        // A pasted key (URL-encoded, up to three bytes a character) may be larger than any other form.
        int limit = path.equals("/keys/import") ? MAX_KEY_FORM_BYTES : MAX_FORM_BYTES;
        if (request.getLength() > limit) {
            return ConsoleResponse.text(413, "too large\n");
        }
        Map<String, String> form = form(request, limit);
        if (path.equals("/login")) {
            return auth.login(form, cookies, client);
        }
        if (session.isEmpty()) {
            context.audit().record(null, "post-without-session", "refused", client, Map.of("path", path));
            return ConsoleResponse.html(403, ConsolePages.error(session, "Not logged in", "Log in first."));
        }
        ConsoleSessions.Session s = session.get();
        if (!ConsoleSessions.matches(s.csrf(), form.get("csrf"))) {
            context.audit().record(s.admin(), "csrf-check", "refused", client, Map.of("path", path));
            return ConsoleResponse.html(403, ConsolePages.error(session, "Refused",
                "This form did not come from your console session; nothing was changed."));
        }
        return switch (path) {
            case "/logout" -> auth.logout(s, client);
            case "/config/rollback" -> flows.rollback(s, form, client);
            case "/held/release" -> flows.heldAction(s, form, client, true);
            case "/held/delete" -> flows.heldAction(s, form, client, false);
            case "/keys/import" -> keyFlows.importKey(s, form, client);
            default -> ConsoleResponse.html(404, ConsolePages.error(session, "Not found", "There is nothing at this address."));
        };
    }

    private static Map<String, String> cookies(Request request) {
        Map<String, String> cookies = new HashMap<>();
        for (HttpCookie cookie : Request.getCookies(request)) {
            cookies.putIfAbsent(cookie.getName(), cookie.getValue());
        }
        return cookies;
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> query = new HashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        int count = 0;
        for (Fields.Field field : fields) {
            if (++count > MAX_FIELDS) {
                throw new IllegalArgumentException("too many query parameters");
            }
            if (!field.getValue().isEmpty()) {
                query.putIfAbsent(field.getName(), field.getValue());
            }
        }
        return query;
    }

    private static Map<String, String> form(Request request, int limit) throws Exception {
        Map<String, String> form = new HashMap<>();
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return form;   // no fields: in particular no CSRF value, so refused
        }
        Fields fields = FormFields.getFields(request, MAX_FIELDS, limit);
        for (Fields.Field field : fields) {
            form.putIfAbsent(field.getName(), field.getValue());
        }
        return form;
    }

    private static void write(ConsoleResponse answer, Request request, Response response, Callback callback) {
        response.setStatus(answer.status);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType);
        org.sealgate.gina.portal.SecurityHeaders.apply(headers);
        answer.headers.forEach(headers::put);
        for (HttpCookie cookie : answer.cookies) {
            Response.addCookie(response, cookie);
        }
        boolean head = "HEAD".equals(request.getMethod());
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(answer.body), callback);
    }
}
