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
    /** Relaying decided from the trusted networks in force now (authorizedAddresses is read once at start). */
    private static final String TRUSTED_CLIENTS = "            <handler class=\"org.sealgate.smtp.TrustedClients\"/>\n";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.]+)}");

    private JamesConfiguration() {
    }

    static void render(NodeSettings settings, GinaNodeSettings gina, NodeLayout layout) throws IOException {
        Files.createDirectories(layout.jamesConf());
        SmtpTlsMaterial.install(layout, settings.hostname());
        Map<String, String> values = values(settings, layout);
        values.putAll(LimitSettings.load(layout.data()).values());
        values.putAll(HeldMailSettings.load(layout.data()).values());
        values.putAll(DeliverySettings.load(layout.data()).values());
        values.put("gina.first.password", gina.firstPasswordChannel());
        values.put("gina.signer", xml(gina.signer().orElse("")));
        values.put("gina.title", xml(gina.title()));
        values.put("gina.max.message.kb", Integer.toString(gina.maxMessageKb()));
        values.put("gina.notice", xml(gina.notice().orElse(org.sealgate.gina.mail.Branding.DEFAULT_NOTICE)));
        values.put("gina.reply.smtpserver", gina.replyListener().map(bind -> replyListener(bind, settings)).orElse(""));
        values.put("smtp.hooks", settings.pipeline() == NodeSettings.Pipeline.SEALGATE
            ? recipientGate(RecipientSettings.load(layout.data())) : "");
        values.put("smtp.first.hooks", settings.pipeline() == NodeSettings.Pipeline.SEALGATE ? TRUSTED_CLIENTS : "");
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
        boolean relay = settings.relay().isPresent();
        values.put("deliver.outcome", relay ? "relayed" : "stored");
        values.put("deliver.via", relay ? "relay" : "store-files");
        values.put("deliver.tls.via", relay ? "relay-tls" : "deliver");
        values.put("deliver.tls.verified.via", relay ? "relay-tls-verified" : "deliver");
        // Without a relay the relay processors are never routed to; port 1 refuses, should anything get there.
        String hop = settings.relay().orElse("127.0.0.1:1");
        int colon = hop.lastIndexOf(':');
        values.put("relay.host", xml(hop.substring(0, colon)));
        values.put("relay.port", hop.substring(colon + 1));
        values.put("mail.inbound.dir", xml(layout.inboundMail().toString()));
        values.put("mail.outbound.dir", xml(layout.outboundMail().toString()));
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
