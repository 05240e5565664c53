package org.sealgate.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser in a client namespace: curl with a cookie jar, verifying the portal's certificate against the one CA
 * file given (no {@code -k}), against one base URL (the VIP). Keeps the hidden fields of the last form page.
 */
final class NamespaceBrowser {
    private final String namespace;
    private final String base;
    private final Path work;
    private final Path caFile;
    private String last = "";
    private int requests;

    record Page(int status, String body) {
    }

    NamespaceBrowser(String namespace, String base, Path caFile, Path work) throws IOException {
        this.namespace = namespace;
        this.base = base;
        this.caFile = caFile;
        this.work = Files.createDirectories(work);
    }

    Page get(String path, int maxSeconds) throws IOException, InterruptedException {
        return curl(path, null, maxSeconds);
    }

    Page post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return curl(path, body, 30);
    }

    /** Posts the last page's container and CSRF value plus the given fields. */
    Page submit(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("container", hidden("container"));
        all.put("csrf", hidden("csrf"));
        all.putAll(fields);
        return post(path, all);
    }

    String hidden(String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(last);
        if (!m.find()) {
            throw new AssertionError("no hidden field " + name + " in:\n" + last);
        }
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
            .replace("&gt;", ">");
    }

    /** The cookie jar's session cookie value, as curl keeps it. */
    String cookieJar() throws IOException {
        Path jar = work.resolve("cookies.txt");
        return Files.exists(jar) ? Files.readString(jar) : "";
    }

    private Page curl(String path, String form, int maxSeconds) throws IOException, InterruptedException {
        int n = ++requests;
        Path out = work.resolve("body-" + n + ".html");
        List<String> command = new java.util.ArrayList<>(List.of("curl", "--silent", "--show-error", "--noproxy", "*",
            "--cacert", caFile.toString(), "--max-time", Integer.toString(maxSeconds), "--connect-timeout", "2",
            "--cookie", work.resolve("cookies.txt").toString(), "--cookie-jar", work.resolve("cookies.txt").toString(),
            "--output", out.toString(), "--write-out", "%{http_code}"));
        if (form != null) {
            Path data = work.resolve("form-" + n + ".txt");
            Files.writeString(data, form, StandardCharsets.US_ASCII);
            command.addAll(List.of("--header", "Content-Type: application/x-www-form-urlencoded", "--data-binary", "@" + data));
        }
        command.add(base + path);
        String status = VipNetwork.run(VipNetwork.in(namespace, command), true).strip();
        String body = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        Page page = new Page(status.matches("\\d{3}") ? Integer.parseInt(status) : 0, body);
        if (body.contains("name=\"csrf\"")) {
            last = body;
        }
        return page;
    }
}
