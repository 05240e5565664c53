package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.account.PasswordHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's one handler: routes GET/POST paths to the flows, parses forms in memory (bounded), and writes
 * every answer with the same security headers (strict CSP, no caching, no framing, no referrer). Blocking on
 * purpose (Argon2id, ZooKeeper, SMTP); every path completes the callback, errors included. Logs name the
 * event and the client, never form values, cookies or message content.
 */
final class PortalHandler extends Handler.Abstract {
    private static final Logger LOGGER = LoggerFactory.getLogger(PortalHandler.class);
    private static final int MAX_FIELDS = 50;
    private static final java.util.Set<String> PRE_LOGIN = java.util.Set.of("/open", "/login", "/register", "/forgot", "/reset");

    private final PortalContext context;
    private final AuthFlows auth;
    private final MessageFlows messages;
    private final byte[] stylesheet;

    PortalHandler(PortalContext context) throws IOException {
        this.context = context;
        this.messages = new MessageFlows(context);
        this.auth = new AuthFlows(context, messages);
        try (InputStream css = PortalHandler.class.getResourceAsStream("portal.css")) {
            this.stylesheet = css.readAllBytes();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String client = Request.getRemoteAddr(request);
        PortalResponse answer;
        try {
            answer = switch (request.getMethod()) {
                case "GET", "HEAD" -> get(path);
                case "POST" -> post(path, request, client);
                default -> PortalResponse.text(405, "method not allowed").header("Allow", "GET, POST");
            };
        } catch (UploadTooLargeException e) {
            context.audit().record("upload-refused", null, null, client, "too-large", Map.of("path", path));
            answer = PortalResponse.html(413, Pages.error("Too large", e.getMessage()));
        } catch (PasswordHasher.BusyException e) {
            // Argon2 work is bounded: past the limit, refuse quickly; /healthz needs no password check and stays 200.
            context.audit().record("busy", null, null, client, "refused", Map.of("path", path));
            answer = PortalResponse.html(503, Pages.error("Busy", "The portal is busy right now. Please try again in a moment."))
                .header("Retry-After", "5");
        } catch (AccountStoreException e) {
            LOGGER.error("{} {} from {}: account store unavailable: {}", request.getMethod(), path, client, e.getMessage());
            answer = PortalResponse.html(503, Pages.error("Temporarily unavailable",
                "The portal cannot reach its account store right now. Please try again in a few minutes."));
        } catch (Throwable t) {
            LOGGER.error("{} {} from {} failed: {}", request.getMethod(), path, client, t.toString());
            answer = PortalResponse.html(500, Pages.error("Something went wrong",
                "The portal could not complete this request. Please try again later."));
        }
        write(answer, request, response, callback);
        return true;
    }

    private PortalResponse get(String path) {
        return switch (path) {
            case "/healthz" -> context.accountStoreReachable().getAsBoolean() ? PortalResponse.text(200, "ok\n")
                : PortalResponse.text(503, "unhealthy: the account store (ZooKeeper) is unreachable\n");
            case "/" -> PortalResponse.html(200, Pages.landing());
            case "/static/portal.css" -> PortalResponse.bytes("text/css; charset=utf-8", stylesheet)
                .header("Cache-Control", "public, max-age=3600");
            default -> PortalResponse.html(404, Pages.error("Not found", "There is nothing at this address."));
        };
    }

    private PortalResponse post(String path, Request request, String client) throws Exception {
        // Before a session exists only a container and a short form may come: a smaller bound than for replies.
        long limit = PRE_LOGIN.contains(path) ? context.maxPreLoginBytes() : context.maxUploadBytes();
        if (request.getLength() > limit) {
            throw new UploadTooLargeException(request.getLength(), limit);
        }
        FormInput input = parse(request, client, limit);
        return switch (path) {
            case "/open" -> auth.open(input);
            case "/login" -> auth.login(input);
            case "/register" -> auth.register(input);
            case "/forgot" -> auth.forgot(input);
            case "/reset" -> auth.reset(input);
            case "/message" -> messages.message(input);
            case "/attachment" -> messages.attachment(input);
            case "/compose" -> messages.compose(input);
            case "/reply" -> messages.reply(input);
            case "/logout" -> messages.logout(input);
            default -> PortalResponse.html(404, Pages.error("Not found", "There is nothing at this address."));
        };
    }

    private FormInput parse(Request request, String client, long limit) throws Exception {
        Map<String, String> cookies = new HashMap<>();
        for (HttpCookie cookie : Request.getCookies(request)) {
            cookies.putIfAbsent(cookie.getName(), cookie.getValue());
        }
        Map<String, String> fields = new HashMap<>();
        List<FormInput.Upload> uploads = new ArrayList<>();
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        try {
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                MultiPartConfig config = new MultiPartConfig.Builder().location(Path.of(System.getProperty("java.io.tmpdir")))
                    .maxParts(MAX_FIELDS).maxSize(limit).maxPartSize(limit).maxMemoryPartSize(limit)
                    .useFilesForPartsWithoutFileName(false).build();   // memory only: replies never touch the disk
                try (MultiPartFormData.Parts parts = MultiPartFormData.getParts(request, request, type, config)) {
                    for (MultiPart.Part part : parts) {
                        if (part.getFileName() == null) {
                            fields.putIfAbsent(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                        } else if (!part.getFileName().isEmpty()) {
                            byte[] content = Content.Source.asInputStream(part.getContentSource()).readAllBytes();
                            uploads.add(new FormInput.Upload(part.getFileName(),
                                part.getHeaders().get(HttpHeader.CONTENT_TYPE), content));
                        }
                    }
                }
            } else {
                Fields form = FormFields.getFields(request, MAX_FIELDS, (int) Math.min(limit, Integer.MAX_VALUE));
                for (Fields.Field field : form) {
                    fields.putIfAbsent(field.getName(), field.getValue());
                }
            }
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).matches(".*(too large|max|exceed|length).*")
                || Request.getContentBytesRead(request) >= limit) {
                throw new UploadTooLargeException(Request.getContentBytesRead(request), limit);
            }
            throw e;
        }
        return new FormInput(fields, uploads, cookies, client);
    }

    private static void write(PortalResponse answer, Request request, Response response, Callback callback) {
        response.setStatus(answer.status);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType);
        SecurityHeaders.apply(headers);
        answer.headers.forEach(headers::put);
        for (HttpCookie cookie : answer.cookies) {
            Response.addCookie(response, cookie);
        }
        boolean head = "HEAD".equals(request.getMethod());
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(answer.body), callback);
    }

    /** A request body over the configured limit: refused with 413 before (or while) it is read. */
    static final class UploadTooLargeException extends Exception {
        UploadTooLargeException(long size, long limit) {
            super("The upload is too large" + (size > 0 ? " (" + size + " bytes)" : "") + "; the limit is " + limit + " bytes.");
        }
    }
}
