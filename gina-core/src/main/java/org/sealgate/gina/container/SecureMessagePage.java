package org.sealgate.gina.container;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The self-contained {@code secure-message.html}: the container as a hidden form field and a button that posts it
 * to the portal's {@code /open} URL written into the page. It works without JavaScript; no external resources
 * are loaded. The notification text is escaped here, so callers pass plain text.
 *
 * <p>The page is text with CRLF line ends; the container is one run of base64url characters in the field's value
 * (no line breaks: the browser would post each as six more bytes). {@link Page} says where the run stands, so the
 * carrier mail can send the page as quoted-printable, the run cut by soft line breaks only, instead of base64 over
 * base64 (a third more bytes on every hop).
 */
public final class SecureMessagePage {
    public static final String FILE_NAME = "secure-message.html";
    public static final String CONTAINER_FIELD = "container";
    public static final String OPEN_PATH = "/open";
    /** Where the container goes in the template (found from the end: texts before it could hold anything). */
    private static final String VALUE_MARK = "\u0000container\u0000";
    private static final Pattern FIELD = Pattern.compile(
        "name=\"" + CONTAINER_FIELD + "\"\\s+value=\"([A-Za-z0-9_\\s-]+)\"");

    private SecureMessagePage() {
    }

    /**
     * @param portal the portal's base URL, e.g. {@code https://gina.example.com:8443}
     * @param notice plain text shown above the button (branding, instructions); escaped here
     */
    public static String render(GinaContainer container, URI portal, String title, String notice) {
        return new String(renderBytes(container, portal, title, notice), StandardCharsets.UTF_8);
    }

    /**
     * The page's UTF-8 bytes and where the container stands in them: {@code [containerFrom, containerTo)} holds
     * base64url characters only (no white space, no line break), so an encoder may copy that range (most of the
     * page) without looking at it.
     */
    public record Page(byte[] bytes, int containerFrom, int containerTo) {
    }

    /** {@link #render} as UTF-8 bytes. */
    public static byte[] renderBytes(GinaContainer container, URI portal, String title, String notice) {
        return renderPage(container, portal, title, notice).bytes();
    }

    /**
     * {@link #render} as a {@link Page}, built without a string of the container: the container's base64url text
     * is encoded straight into the page's bytes, once.
     */
    public static Page renderPage(GinaContainer container, URI portal, String title, String notice) {
        if (!"https".equals(portal.getScheme())) {
            throw new IllegalArgumentException("the GINA portal URL must be https: " + portal);
        }
        String action = portal.toString().replaceAll("/+$", "") + OPEN_PATH;
        String page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action %1$s">
            <title>%2$s</title>
            <style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em}button{font-size:1.2em;padding:.5em 1.5em}</style>
            </head>
            <body>
            <h1>%2$s</h1>
            <p>%3$s</p>
            <p>Recipient: <strong>%4$s</strong></p>
            <form id="gina-open" method="post" action="%5$s" enctype="application/x-www-form-urlencoded">
            <input type="hidden" name="%6$s" value="%7$s">
            <button type="submit" id="open">Open the secure message</button>
            </form>
            <p><small>The message is encrypted. It is decrypted only on %1$s after you log in.</small></p>
            </body>
            </html>
            """.replace("\n", "\r\n").formatted(escape(originOf(portal)), escape(title),
                escape(notice).replace("\r\n", "\n").replace("\n", "<br>\r\n"), escape(container.recipient()),
                escape(action), CONTAINER_FIELD, VALUE_MARK);
        int mark = page.lastIndexOf(VALUE_MARK);   // only the origin follows it, and a URI holds no NUL
        byte[] before = page.substring(0, mark).getBytes(StandardCharsets.UTF_8);
        byte[] after = page.substring(mark + VALUE_MARK.length()).getBytes(StandardCharsets.UTF_8);
        byte[] value = Base64.getUrlEncoder().withoutPadding().encode(container.toBytes());
        byte[] bytes = Arrays.copyOf(before, before.length + value.length + after.length);
        System.arraycopy(value, 0, bytes, before.length, value.length);
        System.arraycopy(after, 0, bytes, before.length + value.length, after.length);
        return new Page(bytes, before.length, before.length + value.length);
    }

    /** The container embedded in a page rendered by {@link #render}; used by tests and tools. */
    public static GinaContainer extract(String html) throws ContainerException {
        Matcher matcher = FIELD.matcher(html);
        if (!matcher.find()) {
            throw new ContainerException(ContainerFailure.MALFORMED, "no secure-message container in this page");
        }
        return GinaContainer.fromBase64Url(matcher.group(1));
    }

    /** The portal URL written into a page, e.g. to check which host a carrier mail points to. */
    public static URI portalOf(String html) {
        Matcher matcher = Pattern.compile("action=\"([^\"]+)" + Pattern.quote(OPEN_PATH) + "\"").matcher(html);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no portal URL in this page");
        }
        return URI.create(matcher.group(1).replace("&amp;", "&"));
    }

    private static String originOf(URI portal) {
        return portal.getScheme() + "://" + portal.getRawAuthority();
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
