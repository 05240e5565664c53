package org.sealgate.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the stock James configuration files of a node (SMTP server, mailet pipeline, domains, repositories) from
 * the templates in {@code james-conf/} and the node's settings, into {@code <data>/james/conf}.
 */
final class JamesConfiguration {
    private static final List<String> TEMPLATES = List.of("smtpserver.xml", "domainlist.xml",
        "dnsservice.xml", "usersrepository.xml", "mailrepositorystore.xml", "recipientrewritetable.xml",
        "healthcheck.properties");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.]+)}");

    private JamesConfiguration() {
    }

    static void render(NodeSettings settings, GinaNodeSettings gina, NodeLayout layout) throws IOException {
        Files.createDirectories(layout.jamesConf());
        SmtpTlsMaterial.install(layout, settings.hostname());
        Map<String, String> values = values(settings, layout);
        values.putAll(LimitSettings.load(layout.data()).values());
        values.put("gina.first.password", gina.firstPasswordChannel());
        values.put("gina.signer", xml(gina.signer().orElse("")));
        values.put("gina.title", xml(gina.title()));
        values.put("gina.notice", xml(gina.notice().orElse(org.sealgate.gina.mail.Branding.DEFAULT_NOTICE)));
        values.put("gina.reply.smtpserver", gina.replyListener().map(bind -> replyListener(bind, settings)).orElse(""));
        values.put("smtp.hooks", settings.pipeline() == NodeSettings.Pipeline.SEALGATE
            ? recipientGate(RecipientSettings.load(layout.data())) : "");
        for (String template : TEMPLATES) {
            renderTemplate(template, template, layout, values);
        }
        String pipeline = settings.pipeline() == NodeSettings.Pipeline.SEALGATE
            ? "mailetcontainer.xml" : "mailetcontainer-relay-only.xml";
        renderTemplate(pipeline, "mailetcontainer.xml", layout, values);
    }

    private static void renderTemplate(String template, String target, NodeLayout layout, Map<String, String> values)
        throws IOException {
        String text;
        try (InputStream in = JamesConfiguration.class.getResourceAsStream("/james-conf/" + template)) {
            if (in == null) {
                throw new IOException("template missing from the jar: " + template);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(layout.jamesConf().resolve(target), substitute(text, values, template));
    }

    private static Map<String, String> values(NodeSettings settings, NodeLayout layout) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("smtp.bind", settings.smtpHost() + ":" + settings.smtpPort());
        values.put("smtp.max.message.kb", Integer.toString(settings.maxMessageKb()));
        values.put("hostname", xml(settings.hostname()));
        values.put("trusted.networks", xml(String.join(", ", settings.trustedNetworks())));
        values.put("managed.domains.xml", settings.managedDomains().stream()
            .map(domain -> "        <domainname>" + xml(domain) + "</domainname>")
            .collect(Collectors.joining("\n")));
        values.put("default.domain", xml(settings.managedDomains().get(0)));
        values.put("spooler.threads", "8");
        values.put("subject.tags", Boolean.toString(settings.subjectTags()));
        values.put("deliver.mailets", deliverMailets(settings, layout));
        values.put("deliver.tls.mailets", deliverTlsMailets(settings, layout, false));
        values.put("deliver.tls.verified.mailets", deliverTlsMailets(settings, layout, true));
        return values;
    }

    /**
     * The GINA portal's reply submission: no authorizedAddresses (James then trusts no client by address) and no
     * AUTH, so a portal reply is outside mail even when the portal runs in a trusted network.
     */
    private static String replyListener(String bind, NodeSettings settings) {
        return """
                <smtpserver enabled="true">
                    <jmxName>sealgate-gina-replies</jmxName>
                    <bind>%s</bind>
                    <connectionBacklog>50</connectionBacklog>
                    <helloName autodetect="false">%s</helloName>
                    <connectiontimeout>120</connectiontimeout>
                    <auth>
                        <announce>never</announce>
                        <plainAuthEnabled>false</plainAuthEnabled>
                    </auth>
                    <verifyIdentity>false</verifyIdentity>
                    <maxmessagesize>%d</maxmessagesize>
                    <addressBracketsEnforcement>true</addressBracketsEnforcement>
                    <smtpGreeting>%s Sealgate GINA replies</smtpGreeting>
                    <handlerchain>
                        <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
                    </handlerchain>
                </smtpserver>
            """.formatted(xml(bind), xml(settings.hostname()), settings.maxMessageKb(), xml(settings.hostname()));
    }

    private static String deliverMailets(NodeSettings settings, NodeLayout layout) {
        String audit = settings.pipeline() == NodeSettings.Pipeline.RELAY_ONLY ? "" : """
                        <mailet match="All" class="org.sealgate.mailets.AuditMail">
                            <outcome>%s</outcome>
                        </mailet>
            """.formatted(settings.relay().isPresent() ? "relayed" : "stored");
        if (settings.relay().isPresent()) {
            String relay = settings.relay().get();
            int colon = relay.lastIndexOf(':');
            return audit + """
                            <mailet match="All" class="RemoteDelivery">
                                <outgoing>outgoing</outgoing>
                                <delayTime>2000, 30000, 300000, 1800000</delayTime>
                                <maxRetries>4</maxRetries>
                                <maxDnsProblemRetries>0</maxDnsProblemRetries>
                                <deliveryThreads>4</deliveryThreads>
                                <sendpartial>true</sendpartial>
                                <startTLS>true</startTLS>
                                <bounceProcessor>bounces</bounceProcessor>
                                <gateway>%s</gateway>
                                <gatewayPort>%s</gatewayPort>
                            </mailet>"""
                .formatted(xml(relay.substring(0, colon)), relay.substring(colon + 1));
        }
        return audit + """
                        <mailet match="HostIsLocal" class="org.sealgate.mailets.ToEmlDirectory">
                            <directory>%s</directory>
                        </mailet>
                        <mailet match="All" class="org.sealgate.mailets.ToEmlDirectory">
                            <directory>%s</directory>
                        </mailet>"""
            .formatted(xml(layout.inboundMail().toString()), xml(layout.outboundMail().toString()));
    }

    /**
     * Delivery for the policy outcome {@code tls}: RemoteDelivery with JavaMail's {@code mail.smtp.starttls.required}
     * (RemoteDelivery passes init parameters starting with {@code mail.} to the JavaMail session), so a next hop
     * that does not offer STARTTLS gets nothing; the mail stays queued for the retries, then bounces. Its own
     * queue ({@code outgoing}: RemoteDelivery's parameter for the queue name) keeps it apart from ordinary delivery:
     * two RemoteDelivery mailets on one queue would each take the other's mail. {@code verified} also checks the
     * server certificate's host name ({@code verifyServerIdentity}), on a queue of its own. Without a relay (demo) it is stored like every other mail.
     */
    private static String deliverTlsMailets(NodeSettings settings, NodeLayout layout, boolean verifyHostName) {
        if (settings.relay().isEmpty()) {
            return deliverMailets(settings, layout);
        }
        String relay = settings.relay().get();
        int colon = relay.lastIndexOf(':');
        return """
                        <mailet match="All" class="org.sealgate.mailets.AuditMail">
                            <outcome>relayed</outcome>
                        </mailet>
                        <mailet match="All" class="RemoteDelivery">
                            <outgoing>%s</outgoing>
                            <delayTime>2000, 30000, 300000, 1800000</delayTime>
                            <maxRetries>4</maxRetries>
                            <maxDnsProblemRetries>0</maxDnsProblemRetries>
                            <deliveryThreads>2</deliveryThreads>
                            <sendpartial>true</sendpartial>
                            <startTLS>true</startTLS>
                            <mail.smtp.starttls.required>true</mail.smtp.starttls.required>
                            <verifyServerIdentity>%s</verifyServerIdentity>
                            <bounceProcessor>bounces</bounceProcessor>
                            <gateway>%s</gateway>
                            <gatewayPort>%s</gatewayPort>
                        </mailet>"""
            .formatted(verifyHostName ? "outgoing-tls-verified" : "outgoing-tls", verifyHostName,
                xml(relay.substring(0, colon)), relay.substring(colon + 1));
    }

    /** The RCPT check: no mail while no policy is in force; unknown recipients of managed domains refused. */
    private static String recipientGate(RecipientSettings recipients) {
        return """
                        <handler class="org.sealgate.smtp.RecipientGate">
                            <recipients>%s</recipients>
                            <recipientList>%s</recipientList>
                        </handler>"""
            .formatted(recipients.knownOnly() ? "known" : "any", xml(recipients.recipientsFile().toString()));
    }

    private static String substitute(String text, Map<String, String> values, String template) throws IOException {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IOException(template + ": no value for ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
