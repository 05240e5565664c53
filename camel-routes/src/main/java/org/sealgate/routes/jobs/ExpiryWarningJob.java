package org.sealgate.routes.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns the administrator before managed users' certificates and OpenPGP keys expire: one mail per run listing every
 * key that crossed a threshold ({@link ExpiryWarningSettings#thresholds()}) since it was last warned about, each key
 * and threshold once (the {@link WarningLedger} remembers, across leaders). Only the tightest threshold a key is
 * inside counts, so a key first seen 3 days before expiry gets the 7-day warning, not 30 and 7 at once. Audited.
 * The mail is sent before the ledger is written: a leader dying in between repeats a warning rather than losing it.
 */
public final class ExpiryWarningJob implements ScheduledJob {
    public static final Duration DEFAULT_PERIOD = Duration.ofHours(1);
    private static final Logger LOGGER = LoggerFactory.getLogger(ExpiryWarningJob.class);

    private final Supplier<List<ExpiringKey>> keys;
    private final Supplier<Optional<ExpiryWarningSettings>> settings;
    private final WarningLedger ledger;
    private final NoticeMailer mailer;
    private final AuditPublisher audit;
    private final BooleanSupplier leading;
    private final Clock clock;
    private final Duration period;
    private volatile boolean saidUnset;

    public ExpiryWarningJob(Supplier<List<ExpiringKey>> keys, Supplier<Optional<ExpiryWarningSettings>> settings,
                            WarningLedger ledger, NoticeMailer mailer, AuditPublisher audit, BooleanSupplier leading,
                            Clock clock, Duration period) {
        this.keys = Objects.requireNonNull(keys);
        this.settings = Objects.requireNonNull(settings);
        this.ledger = Objects.requireNonNull(ledger);
        this.mailer = Objects.requireNonNull(mailer);
        this.audit = Objects.requireNonNull(audit);
        this.leading = Objects.requireNonNull(leading);
        this.clock = Objects.requireNonNull(clock);
        this.period = JobRoutes.checkedPeriod(period);
    }

    @Override
    public String name() {
        return "expiry-warnings";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public void run() {
        Optional<ExpiryWarningSettings> configured = settings.get();
        if (configured.isEmpty()) {
            if (!saidUnset) {
                LOGGER.info("No expiry warnings: the cluster document sets no notifications.admin-address");
                saidUnset = true;
            }
            return;
        }
        saidUnset = false;
        ExpiryWarningSettings warnings = configured.get();
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        try {
            for (ExpiringKey key : keys.get()) {
                if (!leading.getAsBoolean()) {
                    return; // leadership went: the new leader does it
                }
                Optional<Integer> threshold = tightest(warnings, key, now);
                if (threshold.isPresent()) {
                    String id = warningId(key, threshold.get());
                    if (!ledger.sent(id)) {
                        due.add(new Due(key, threshold.get(), id));
                    }
                }
            }
            if (due.isEmpty() || !leading.getAsBoolean()) {
                return;
            }
            mailer.send(warnings.adminAddress(), subject(due, warnings), body(due, now));
            for (Due warning : due) {
                ledger.remember(warning.id());
                audit.publish(new AuditEvent(now, "expiry-warning-" + warning.id(), "cluster", "",
                    List.of(new AuditEvent.RecipientOutcome(warnings.adminAddress(), "none", warning.key().fingerprint())),
                    "expiry-warning", describe(warning.key(), now)));
            }
            LOGGER.info("Sent an expiry warning for {} key(s) to {}", due.size(), warnings.adminAddress());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The ledger or the mail failed: nothing was remembered that was not sent; the next period tries again.
            throw new IllegalStateException("expiry warnings not sent: " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> tightest(ExpiryWarningSettings warnings, ExpiringKey key, Instant now) {
        Optional<Integer> tightest = Optional.empty();
        for (int days : warnings.thresholds()) {
            if (!key.expires().isAfter(now.plus(Duration.ofDays(days)))) {
                tightest = Optional.of(days);
            }
        }
        return tightest;
    }

    /** Per key, its expiry (a renewed or extended key is a new key to warn about) and the threshold. */
    static String warningId(ExpiringKey key, int days) {
        String fingerprint = key.fingerprint().toLowerCase(java.util.Locale.ROOT).replaceAll("[^0-9a-f]", "");
        return fingerprint + "-" + key.expires().getEpochSecond() + "-" + days + "d";
    }

    private static String subject(List<Due> due, ExpiryWarningSettings warnings) {
        return "Sealgate: " + due.size() + (due.size() == 1 ? " managed key expires" : " managed keys expire")
            + " within " + due.stream().mapToInt(Due::days).max().orElse(warnings.days()) + " days";
    }

    private static String body(List<Due> due, Instant now) {
        StringBuilder text = new StringBuilder("These managed users' keys expire soon; renew them before they do"
            + " (mail to and from these users cannot be encrypted or signed with an expired key).\r\n\r\n");
        for (Due warning : due) {
            text.append("- ").append(describe(warning.key(), now)).append("\r\n");
        }
        return text.toString();
    }

    private static String describe(ExpiringKey key, Instant now) {
        long days = Duration.between(now, key.expires()).toDays();
        String when = key.expires().isAfter(now) ? "expires " + key.expires() + " (in " + days + " days)"
            : "EXPIRED " + key.expires();
        return key.kind() + " of " + key.address() + " (" + key.fingerprint() + "): " + when;
    }

    private record Due(ExpiringKey key, int days, String id) {
    }
}
