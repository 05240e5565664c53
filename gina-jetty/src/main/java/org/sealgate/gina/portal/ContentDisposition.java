package org.sealgate.gina.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code Content-Disposition: attachment} with a safe ASCII fallback name and the RFC 6266 UTF-8 form. */
final class ContentDisposition {
    private ContentDisposition() {
    }

    static String attachment(String fileName) {
        String base = fileName.replaceAll("[\\\\/]", "_").replaceAll("\\p{Cntrl}", "").strip();
        if (base.isEmpty() || base.startsWith(".")) {
            base = "attachment" + base;
        }
        String ascii = base.replaceAll("[^A-Za-z0-9._ -]", "_");
        String encoded = URLEncoder.encode(base, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
