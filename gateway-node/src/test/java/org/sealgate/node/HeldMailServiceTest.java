package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.audit.AuditEvent;
import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailKey;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMailStores;
import org.sealgate.held.HeldMessage;
import org.sealgate.testing.MutableClock;

/**
 * The node's held-mail service on a real store: the retention sweep deletes only what is past the limit, in bounded
 * batches, each deletion audited; a release that James cannot take is kept and retried, never lost; a record that
 * does not open (changed, or copied under another id) is never released.
 */
class HeldMailServiceTest {
    private static final byte[] MAIL = "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final List<HeldMessage> reinjected = new ArrayList<>();

    private HeldMailStore store() throws Exception {
        return HeldMailStores.open(work.resolve("held"), HeldMailKey.loadOrCreate(work.resolve("held-mail.key")), clock);
    }

    private HeldMailServiceImpl service(HeldMailStore store, HeldMailServiceImpl.Reinjector reinjector) {
        return new HeldMailServiceImpl(store, reinjector, events::add, Duration.ofDays(30), clock);
    }

    private static HeldMail.Draft draft(String recipient) {
        return new HeldMail.Draft("no key", "alice@demo.sealgate.test", List.of(recipient), "node-a", "127.0.0.1",
            "localhost", true, "s", "<" + recipient + ">");
    }

    @Test
    void theRetentionSweepShouldDeleteOnlyMailPastTheLimitAndAuditEach() throws Exception {
        HeldMailStore store = store();
        HeldMail old = store.hold(draft("old@secure.example"), MAIL);
        clock.advance(Duration.ofDays(20));
        HeldMail recent = store.hold(draft("recent@secure.example"), MAIL);
        clock.advance(Duration.ofDays(11));     // old: 31 days, recent: 11 days

        assertThat(service(store, reinjected::add).sweep()).isEqualTo(1);

        assertThat(store.list().mails()).extracting(HeldMail::id).containsExactly(recent.id());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("expired");
            assertThat(event.reason()).contains(old.id()).contains("retention limit of 30 days");
            assertThat(event.recipients()).extracting(AuditEvent.RecipientOutcome::recipient).containsExactly("old@secure.example");
        });
    }

    @Test
    void theRetentionSweepShouldBeBoundedPerPass() throws Exception {
        HeldMailStore store = store();
        for (int i = 0; i < HeldMailServiceImpl.MAX_EXPIRED + 5; i++) {
            store.hold(draft("r" + i + "@secure.example"), MAIL);
        }
        clock.advance(Duration.ofDays(31));
        HeldMailServiceImpl service = service(store, reinjected::add);

        assertThat(service.sweep()).isEqualTo(HeldMailServiceImpl.MAX_EXPIRED);
        assertThat(service.sweep()).isEqualTo(5);
        assertThat(store.list().mails()).isEmpty();
    }

    @Test
    void aReleaseJamesCannotTakeShouldBeKeptAndRetried() throws Exception {
        HeldMailStore store = store();
        HeldMail held = store.hold(draft("dave@secure.example"), MAIL);
        store.request(held.id(), HeldMailStore.Action.RELEASE);
        boolean[] queueDown = {true};
        HeldMailServiceImpl service = service(store, message -> {
            if (queueDown[0]) {
                throw new IllegalStateException("spool unavailable");
            }
            reinjected.add(message);
        });

        service.runOnce();
        assertThat(store.metadata(held.id())).isEqualTo(held);
        assertThat(store.isRequested(held.id(), HeldMailStore.Action.RELEASE)).isTrue();
        assertThat(events).isEmpty();

        queueDown[0] = false;
        service.runOnce();
        assertThat(reinjected).singleElement().satisfies(message -> assertThat(message.content()).isEqualTo(MAIL));
        assertThat(store.list().mails()).isEmpty();
        assertThat(events).singleElement().extracting(AuditEvent::outcome).isEqualTo("released");
    }

    @Test
    void aRecordThatDoesNotOpenShouldNeverBeReleased() throws Exception {
        HeldMailStore store = store();
        HeldMail held = store.hold(draft("dave@secure.example"), MAIL);
        String copy = "f".repeat(24);
        Files.copy(work.resolve("held").resolve(held.id() + ".held"), work.resolve("held").resolve(copy + ".held"));
        Path original = work.resolve("held").resolve(held.id() + ".held");
        byte[] bytes = Files.readAllBytes(original);
        bytes[bytes.length - 1] ^= 1;
        Files.write(original, bytes);
        store.request(copy, HeldMailStore.Action.RELEASE);
        store.request(held.id(), HeldMailStore.Action.RELEASE);

        service(store, reinjected::add).runOnce();

        assertThat(reinjected).isEmpty();
        assertThat(events).extracting(AuditEvent::outcome).containsExactly("release-refused", "release-refused");
        assertThat(store.pendingRequests(10)).isEmpty();
        assertThat(Files.exists(original)).isTrue();
    }
}
