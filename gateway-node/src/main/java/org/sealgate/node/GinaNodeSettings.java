package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.sealgate.gina.GinaFiles;
import org.sealgate.mailets.GinaSeal;

/**
 * The GINA mailet's settings, from the {@code gina.*} keys of {@code <data>/sealgate.properties}; paths are
 * relative to the data directory.
 *
 * <pre>
 * gina.portal-url = https://gina.example.com:8443   # default: https://HOST-NAME:PORT of the cluster document's gina
 * gina.keys = gina/gina.keys                        # the cluster GINA key ring (the portal's), owner-only, out of band
 * gina.credentials = secrets/zk-gina.credentials   # ZooKeeper identity gina:password shared with the portal
 * gina.signer = secure-mail@example.com             # signs carriers of senders without a managed key (optional)
 * gina.first-password = sender                      # sender | sms (SMS when the sender gave a number)
 * gina.title = Secure message                       # carrier branding; gina.notice-file = FILE for the text
 * gina.sms.url = https://sms.example.com/api/send   # the HTTP SMS gateway (JSON POST)
 * gina.sms.credentials = secrets/sms.credentials    # user:password for HTTP Basic (optional)
 * gina.sms.sender = Sealgate                        # the SMS's sender name
 * gina.reply-smtp = 127.0.0.1:2526                  # the portal's reply submission listener (none if absent)
 * gina.max-message-kb = 24000                       # larger mail is held: the portal could not open it (its
 *                                                   # upload.max-bytes must hold 4/3 of this; raise both together)
 * </pre>
 * The reply listener is a second SMTP server of the node that trusts no client network: the portal submits a
 * GINA user's reply there, so it is treated as what it is, mail from an outside user (no relaying, no
 * trusted-client headers, no {@code [gina-reset]}, no GINA accounts for new recipients), whatever network the
 * portal runs in. Point the portal's {@code smtp.gateway} at it.
 */
public record GinaNodeSettings(Optional<URI> portalUrl, Path keyRing, Path credentials, Optional<String> signer,
                               String firstPasswordChannel, String title, Optional<String> notice, Optional<URI> smsUrl,
                               Optional<Path> smsCredentials, String smsSender, Optional<String> replyListener,
                               int maxMessageKb) {
    public static final String PORTAL_URL = "gina.portal-url";
    public static final String MAX_MESSAGE_KB = "gina.max-message-kb";
    public static final String SIGNER = "gina.signer";
    public static final String REPLY_SMTP = "gina.reply-smtp";

    public GinaNodeSettings {
        portalUrl.ifPresent(url -> {
            if (!"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException(NodeSettings.FILE_NAME + ": " + PORTAL_URL + " must be an https URL, got " + url);
            }
        });
        if (!firstPasswordChannel.equals("sender") && !firstPasswordChannel.equals("sms")) {
            throw new IllegalArgumentException(NodeSettings.FILE_NAME + ": gina.first-password must be 'sender' or 'sms', got '"
                + firstPasswordChannel + "'");
        }
        if (maxMessageKb <= 0) {
            throw new IllegalArgumentException(NodeSettings.FILE_NAME + ": " + MAX_MESSAGE_KB + " must be positive, got "
                + maxMessageKb);
        }
        replyListener.ifPresent(bind -> {
            if (!bind.matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException(NodeSettings.FILE_NAME + ": " + REPLY_SMTP + " must be HOST:PORT, got '" + bind + "'");
            }
        });
    }

    /** Sets {@code gina.reply-smtp} in {@code sealgate.properties}, keeping every other setting (the demo's reply port). */
    public static void recordReplyListener(Path data, String hostPort) throws IOException {
        Properties properties = read(data);
        properties.setProperty(REPLY_SMTP, hostPort);
        try (Writer writer = Files.newBufferedWriter(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.store(writer, "Sealgate node settings; James's configuration is rendered from these at start");
        }
    }

    /** Sets {@code gina.portal-url} in {@code sealgate.properties}, keeping every other setting (the demo's portal port). */
    public static void recordPortalUrl(Path data, URI portal) throws IOException {
        Properties properties = read(data);
        properties.setProperty(PORTAL_URL, portal.toString());
        try (Writer writer = Files.newBufferedWriter(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.store(writer, "Sealgate node settings; James's configuration is rendered from these at start");
        }
    }

    public static GinaNodeSettings load(Path data) throws IOException {
        Properties p = read(data);
        Optional<String> noticeFile = optional(p, "gina.notice-file");
        Optional<String> notice = Optional.empty();
        if (noticeFile.isPresent()) {
            notice = Optional.of(Files.readString(data.resolve(noticeFile.get()), StandardCharsets.UTF_8).strip());
        }
        try {
            return new GinaNodeSettings(optional(p, PORTAL_URL).map(URI::create),
                data.resolve(p.getProperty("gina.keys", GinaFiles.KEY_RING).strip()),
                data.resolve(p.getProperty("gina.credentials", GinaFiles.ZK_CREDENTIALS).strip()),
                optional(p, SIGNER), p.getProperty("gina.first-password", "sender").strip(),
                p.getProperty("gina.title", "Secure message").strip(), notice,
                optional(p, "gina.sms.url").map(URI::create), optional(p, "gina.sms.credentials").map(data::resolve),
                p.getProperty("gina.sms.sender", "Sealgate").strip(), optional(p, REPLY_SMTP),
                Integer.parseInt(p.getProperty(MAX_MESSAGE_KB, Integer.toString(GinaSeal.DEFAULT_MAX_MESSAGE_KB)).strip()));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static Properties read(Path data) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Optional<String> optional(Properties p, String key) {
        return Optional.ofNullable(p.getProperty(key)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
