package org.sealgate.smtp;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.library.netmatcher.NetMatcher;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may relay, decided from the trusted networks in force now rather than from the {@code authorizedAddresses}
 * James read once at start: at every {@code MAIL FROM} (so a session opened while its network was trusted stops
 * relaying from its next mail) it sets {@link SMTPSession#setRelayingAllowed}, which James's RCPT relay check and
 * the {@code SMTPIsAuthNetwork} matcher (through the mail attribute set at DATA) both read. Nothing before
 * {@code MAIL FROM} depends on the flag (no AUTH is offered). Fails closed: a list that cannot be read trusts nobody.
 * First in the handler chain, so no other MAIL hook can end the chain before it ran.
 *
 * <pre>{@code <handler class="org.sealgate.smtp.TrustedClients"/>}</pre>
 */
public class TrustedClients implements MailHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(TrustedClients.class);

    private final TrustedNetworks networks;
    private final DNSService dns;
    private final AtomicReference<Matcher> matcher = new AtomicReference<>();

    /** The matcher for one list, rebuilt only when the list changes. */
    private record Matcher(List<String> networks, NetMatcher matcher) {
    }

    @Inject
    public TrustedClients(TrustedNetworks networks, DNSService dns) {
        this.networks = networks;
        this.dns = dns;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        decide(session);
        return HookResult.DECLINED;
    }

    private void decide(SMTPSession session) {
        boolean trusted;
        try {
            String client = session.getRemoteAddress().getAddress().getHostAddress();
            trusted = matcher().matchInetNetwork(client);
        } catch (RuntimeException e) {
            LOGGER.error("Trusted networks unreadable, treating the client as untrusted: {}", e.toString());
            trusted = false;
        }
        session.setRelayingAllowed(trusted);
    }

    private NetMatcher matcher() {
        List<String> now = List.copyOf(networks.networks());
        Matcher cached = matcher.get();
        if (cached == null || !cached.networks().equals(now)) {
            cached = new Matcher(now, new NetMatcher(now, dns));
            matcher.set(cached);
            LOGGER.info("Trusted networks in force for relaying: {}", now);
        }
        return cached.matcher();
    }
}
