package org.sealgate.gina.portal;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Message HTML through the OWASP Java HTML Sanitizer: formatting, blocks, tables, styles and links survive;
 * scripts, event handlers, forms, iframes, remote images and anything else active are removed. The page's
 * Content-Security-Policy would block scripts anyway: this is the first of two walls. Links open in a new tab
 * without referrer, so the portal URL (and what it carries) never leaks to a linked site.
 */
final class HtmlSanitizing {
    private static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.TABLES)
        .and(Sanitizers.STYLES)
        .and(new HtmlPolicyBuilder().allowElements("a").allowAttributes("href").onElements("a")
            .allowStandardUrlProtocols().requireRelsOnLinks("noopener", "noreferrer", "nofollow")
            .allowAttributes("target").matching(true, "_blank").onElements("a").toFactory());

    private HtmlSanitizing() {
    }

    static String sanitize(String html) {
        return POLICY.sanitize(html);
    }
}
