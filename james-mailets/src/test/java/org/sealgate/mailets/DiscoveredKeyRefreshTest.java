package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.discovery.AgingDiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.DiscoveryCandidate;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;
import org.sealgate.keys.discovery.KeyDiscovery;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.policy.PolicyRules;
import org.sealgate.testing.MutableClock;
import org.sealgate.testing.TestMessages;

/**
 * A discovered key past its positive TTL is looked up again before use: a revocation published since is learned
 * (stored, kept against an older copy served later) and the mail is handled per policy with the reason; a source that
 * does not answer leaves the stale key usable until its maximum age, and the audit reason says so. The policy engine,
 * selection, validator and store are the real ones; only the WKD server is replaced by what it would answer (the
 * node-level test in gateway-node serves it over HTTPS).
 */
class DiscoveredKeyRefreshTest {
    private static final String CAROL = "carol@partner.test";
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration MAX_AGE = Duration.ofDays(1);
    private static final PolicyRules POLICY = MailetFixtures.policy(
        "domain.partner.test.encrypt = required",
        "domain.partner.test.methods = pgp",
        "domain.partner.test.key-discovery = wkd");

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final AtomicReference<byte[]> published = new AtomicReference<>();
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final AtomicInteger asked = new AtomicInteger();
    private FileDiscoveredKeyStore stored;
    private ApplyPolicy mailet;
    private OpenPGPKey carol;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        carol = PgpKeys.generate("Carol <" + CAROL + ">", 4);
        stored = new FileDiscoveredKeyStore(dir.resolve("keys/discovered"));
        AgingDiscoveredKeyStore aging = new AgingDiscoveredKeyStore(stored, TTL, MAX_AGE, Duration.ofMinutes(10), clock);
        DiscoveredKeyValidator validator = new DiscoveredKeyValidator(List.of(), domain -> false, List.of(), clock);
        // What the WKD source answers, validated by the real validator exactly as CamelKeyDiscovery does.
        KeyDiscovery wkd = (address, bound) -> {
            asked.incrementAndGet();
            if (!answering.get()) {
                return DiscoveryResult.nothing(List.of("wkd: gave up after its timeout of 2000 ms"));
            }
            DiscoveredKeyValidator.Outcome outcome = validator.validate(
                new DiscoveryCandidate(DiscoveredKey.Kind.OPENPGP, "wkd https://openpgpkey.partner.test", published.get()),
                address);
            return outcome.accepted() ? new DiscoveryResult(List.of(outcome.key()), List.of(), false)
                : new DiscoveryResult(List.of(), List.of("wkd: refused a OPENPGP key: " + outcome.reason()), false,
                    outcome.unusable() == null ? List.of() : List.of(outcome.unusable()));
        };
        FileKeyDirectory keys = FileKeyDirectory.open(dir.resolve("keys"));
        FilePgpKeyDirectory pgp = FilePgpKeyDirectory.open(dir.resolve("pgp"));
        mailet = new ApplyPolicy(POLICY, new RecipientCertificates(keys, new SmimeCrypto(), clock, aging),
            new RecipientPgpKeys(pgp, POLICY, clock, aging),
            new RecipientDiscovery(wkd, aging, POLICY, Duration.ofSeconds(2)));
        mailet.init(config(context));
    }

    @Test
    void keyPastItsTtlShouldBeLookedUpAgainAndARevocationPublishedSinceShouldStopItsUse() throws Exception {
        published.set(carol.toCertificate().getEncoded());
        assertThat(decide().outcome()).isEqualTo(Outcome.PGP);
        assertThat(decide().outcome()).as("within the TTL: the stored key, no look-up").isEqualTo(Outcome.PGP);
        assertThat(asked).hasValue(1);

        published.set(PgpKeys.api().editKey(carol).revokeKey().done().toCertificate().getEncoded());
        clock.advance(TTL.plusMinutes(1));
        MailDecision.RecipientDecision refused = decide();
        assertThat(asked).hasValue(2);
        assertThat(refused.outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(refused.reason()).contains("revoked").contains("not used any more");
        assertThat(PgpKeys.isRevoked(stored.keysFor(CAROL).get(0).pgpCertificate(), Date.from(clock.instant()))).isTrue();

        // The older, unrevoked copy served again (a rolled-back or tampered directory) does not bring the key back.
        published.set(carol.toCertificate().getEncoded());
        clock.advance(TTL.plusMinutes(1));
        MailDecision.RecipientDecision again = decide();
        assertThat(again.outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(again.reason()).contains("revoked");
        assertThat(stored.keysFor(CAROL)).hasSize(1);
    }

    @Test
    void staleKeyShouldStayUsableWhileItsSourceDoesNotAnswerButNotPastItsMaximumAge() throws Exception {
        published.set(carol.toCertificate().getEncoded());
        assertThat(decide().outcome()).isEqualTo(Outcome.PGP);

        answering.set(false);
        clock.advance(TTL.plusMinutes(1));
        MailDecision.RecipientDecision kept = decide();
        assertThat(asked).hasValue(2);
        assertThat(kept.outcome()).isEqualTo(Outcome.PGP);
        assertThat(kept.reason()).contains("wkd: gave up after its timeout").contains("stay usable until");

        clock.advance(MAX_AGE);
        MailDecision.RecipientDecision tooOld = decide();
        assertThat(tooOld.outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(tooOld.reason()).contains("no OpenPGP key known").contains("wkd: gave up after its timeout");
    }

    @Test
    void keyPlantedUnderAnotherAddressShouldNotBeUsedAndTheReasonSaysWhy() throws Exception {
        answering.set(false);
        OpenPGPKey mallory = PgpKeys.generate("Mallory <mallory@evil.test>", 4);
        // Written into the shared store by anyone holding the node identity, filed under Carol's address.
        stored.store(DiscoveredKey.openPgp(CAROL, "wkd https://openpgpkey.partner.test", clock.instant(),
            mallory.toCertificate()));

        MailDecision.RecipientDecision decision = decide();
        assertThat(decision.outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(decision.reason()).contains("discovered OpenPGP key " + PgpKeys.fingerprint(mallory))
            .contains("does not name it (ignored)");
    }

    private MailDecision.RecipientDecision decide() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), TestMessages.FROM, CAROL);
        mailet.service(mail);
        return PolicyAttributes.decisions(mail).get(CAROL);
    }
}
