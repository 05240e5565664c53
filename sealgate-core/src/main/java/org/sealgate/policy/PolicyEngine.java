package org.sealgate.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.sealgate.keys.Addresses;
import org.sealgate.policy.MailDecision.RecipientDecision;

/**
 * Decides, once per outbound mail, how each recipient is protected. Plain Java: the James side
 * ({@code ApplyPolicy}) hands it addresses and the subject, and stores what it returns.
 *
 * <p>Per recipient: the recipient's encryption mode (its user entry, domain, wildcard domains, default), changed by
 * the sender's triggers: {@code [secure]}/{@code [confidential]} or {@code X-Sealgate-Encrypt: yes} make it
 * {@code required}; {@code [plain]} or {@code X-Sealgate-Encrypt: no} make it {@code off} only when the sender's
 * policy has {@code allow-plain = true} and the recipient's mode is not {@code required} (a sender never
 * overrules a partner agreement). Then, unless the mode is {@code off}, the first usable method in the recipient's
 * {@code methods} order wins: {@code smime} with a usable certificate, {@code pgp} with a usable OpenPGP key,
 * {@code gina} only when encryption is required, {@code tls} always (delivery over enforced TLS). Nothing usable:
 * {@code plain} when opportunistic, the recipient's {@code fallback} when required. Signing follows the sender's
 * {@code sign} setting or a {@code [sign]} trigger. Finally the recipient's {@code tls} setting ({@code required},
 * {@code verified}) turns {@code plain} into {@code tls} and travels with every other delivered outcome.
 */
public final class PolicyEngine {
    private final PolicyProvider policy;
    private final RecipientKeys keys;

    public PolicyEngine(PolicyProvider policy, RecipientKeys keys) {
        this.policy = policy;
        this.keys = keys;
    }

    /**
     * @param sender        the address whose sender-side settings apply (From, else the envelope sender); may be empty
     * @param subject       the subject as the sender wrote it; may be null
     * @param encryptHeader the value of a trusted {@code X-Sealgate-Encrypt} header, when there was one
     * @param recipients    envelope recipients
     */
    public MailDecision decide(String sender, String subject, Optional<String> encryptHeader, List<String> recipients) {
        PolicySettings senderSettings = sender == null || sender.isBlank()
            ? policy.settingsForDomain("") : policy.settingsFor(sender);
        SenderTriggers triggers = SenderTriggers.read(subject, encryptHeader, senderSettings);
        Map<String, RecipientDecision> decisions = new LinkedHashMap<>();
        for (String recipient : recipients) {
            String address = Addresses.normalise(recipient);
            PolicySettings settings = policy.settingsFor(address);
            decisions.put(address, withTransport(decide(address, settings, senderSettings, triggers), settings));
        }
        boolean sign = senderSettings.sign() || triggers.sign();
        String signReason = senderSettings.sign() ? "sign=on (" + senderSettings.source(Setting.SIGN) + ")"
            : triggers.sign() ? "sign=off but asked by sender (" + triggers.cause() + ")"
            : "sign=off (" + senderSettings.source(Setting.SIGN) + ")";
        return new MailDecision(decisions, sign, signReason, triggers, senderSettings.debugHeader());
    }

    private RecipientDecision decide(String recipient, PolicySettings settings, PolicySettings sender,
                                     SenderTriggers triggers) {
        EncryptionMode mode = settings.encryption();
        String why = "encrypt=" + token(mode) + " (" + settings.source(Setting.ENCRYPT) + ")";
        if (triggers.encrypt()) {
            mode = EncryptionMode.REQUIRED;
            why = "encryption required by the sender (" + triggers.cause() + ")";
        } else if (triggers.plain()) {
            if (!sender.allowPlain()) {
                why += "; sender's downgrade ignored: allow-plain=off (" + sender.source(Setting.ALLOW_PLAIN) + ")";
            } else if (mode == EncryptionMode.REQUIRED) {
                why += "; sender's downgrade ignored: the recipient's policy requires encryption";
            } else {
                mode = EncryptionMode.OFF;
                why = "encryption switched off by the sender (" + triggers.cause() + ")";
            }
        }
        if (mode == EncryptionMode.OFF) {
            return new RecipientDecision(Outcome.PLAIN, why);
        }
        List<String> misses = new ArrayList<>();
        for (Method method : settings.methods()) {
            switch (method) {
                case SMIME -> {
                    RecipientKeys.Check check = keys.smime(recipient);
                    if (check.usable()) {
                        return new RecipientDecision(Outcome.SMIME, why + "; usable S/MIME certificate"
                            + (check.detail().isEmpty() ? "" : " (" + check.detail() + ")"));
                    }
                    misses.add(check.detail());
                }
                case PGP -> {
                    RecipientKeys.Check check = keys.pgp(recipient);
                    if (check.usable()) {
                        return new RecipientDecision(Outcome.PGP, why + "; usable OpenPGP key"
                            + (check.detail().isEmpty() ? "" : " (" + check.detail() + ")"));
                    }
                    misses.add(check.detail());
                }
                case GINA -> {
                    if (mode == EncryptionMode.REQUIRED) {
                        return new RecipientDecision(Outcome.GINA, why + "; " + String.join("; ", misses)
                            + (misses.isEmpty() ? "" : "; ") + "GINA portal");
                    }
                    misses.add("GINA only when encryption is required");
                }
                case TLS -> {
                    return new RecipientDecision(Outcome.TLS, why + "; " + String.join("; ", misses)
                        + (misses.isEmpty() ? "" : "; ") + "delivery over enforced TLS");
                }
            }
        }
        String order = settings.methods().stream().map(Method::token).collect(Collectors.joining(",", "[", "]"));
        String nothing = "no usable method in " + order + (misses.isEmpty() ? "" : ": " + String.join("; ", misses));
        if (mode == EncryptionMode.OPPORTUNISTIC) {
            return new RecipientDecision(Outcome.PLAIN, why + "; " + nothing + "; sent unencrypted");
        }
        Fallback fallback = settings.fallback();
        Outcome outcome = switch (fallback) {
            case BOUNCE -> Outcome.BOUNCE;
            case HOLD -> Outcome.HOLD;
            case GINA -> Outcome.GINA;
            case TLS -> Outcome.TLS;
        };
        return new RecipientDecision(outcome, "policy requires encryption: " + String.join("; ", misses)
            + " [" + why + "; " + "no usable method in " + order + "; fallback=" + fallback.token()
            + " (" + settings.source(Setting.FALLBACK) + ")]");
    }

    /**
     * The recipient's {@code tls} setting on top of the chosen protection: a {@code plain} recipient with TLS
     * required becomes {@code tls}; encrypted and GINA mail keep their outcome but carry the requirement to delivery.
     */
    private static RecipientDecision withTransport(RecipientDecision decision, PolicySettings settings) {
        TransportSecurity tls = settings.tls();
        String why = "tls=" + tls.token() + " (" + settings.source(Setting.TLS) + ")";
        if (decision.outcome() == Outcome.TLS) {
            return new RecipientDecision(Outcome.TLS, decision.reason()
                + (tls == TransportSecurity.OPPORTUNISTIC ? "" : "; " + why), tls.atLeast(TransportSecurity.REQUIRED));
        }
        if (tls == TransportSecurity.OPPORTUNISTIC
            || decision.outcome() == Outcome.BOUNCE || decision.outcome() == Outcome.HOLD) {
            return decision;
        }
        if (decision.outcome() == Outcome.PLAIN) {
            return new RecipientDecision(Outcome.TLS, decision.reason() + "; " + why + ": delivered only over TLS", tls);
        }
        return new RecipientDecision(decision.outcome(), decision.reason() + "; " + why, tls);
    }

    private static String token(EncryptionMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
