package org.sealgate.held;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.MutableClock;

class HeldMailStoreTest {
    private static final byte[] MAIL = ("From: alice@demo.sealgate.test\r\nTo: dave@secure.example\r\n"
        + "Subject: Quarterly secret figures\r\n\r\nThe body nobody may read on disk\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    private HeldMailStore store(HeldMailKey key) {
        return HeldMailStores.open(work.resolve("held"), key, clock);
    }

    private static HeldMail.Draft draft() {
        return new HeldMail.Draft("no certificate known for dave@secure.example", "alice@demo.sealgate.test",
            List.of("dave@secure.example", "erin@secure.example"), "node-a", "127.0.0.1", "localhost", true,
            "Quarterly secret figures", "<q1@demo>");
    }

    @Test
    void aHeldMailShouldRoundTripAndBeListedWithItsMetadata() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail held = store.hold(draft(), MAIL);

        HeldMessage opened = store.open(held.id());
        assertThat(opened.content()).isEqualTo(MAIL);
        assertThat(opened.mail()).isEqualTo(held);
        assertThat(store.list().mails()).containsExactly(held);
        assertThat(held.recipients()).containsExactly("dave@secure.example", "erin@secure.example");
        assertThat(held.heldAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(store.delete(held.id())).isTrue();
        assertThat(store.list().mails()).isEmpty();
    }

    @Test
    void theFileOnDiskShouldRevealNeitherContentNorWhoWroteToWhom() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail held = store.hold(draft(), MAIL);

        Path file = work.resolve("held").resolve(held.id() + ".held");
        String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(onDisk).doesNotContain("Quarterly").doesNotContain("nobody may read").doesNotContain("alice")
            .doesNotContain("dave").doesNotContain("certificate").doesNotContain("q1@demo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("held")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("secrets/held-mail.key"))))
            .isEqualTo("rw-------");
    }

    @Test
    void aChangedRecordShouldNotOpen() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail held = store.hold(draft(), MAIL);
        Path file = work.resolve("held").resolve(held.id() + ".held");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> store.open(held.id())).isInstanceOf(HeldMailException.class)
            .hasMessageContaining("integrity check failed");
    }

    @Test
    void aRecordCopiedUnderAnotherIdShouldNotOpen() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail held = store.hold(draft(), MAIL);
        String otherId = "0".repeat(24);
        Files.copy(work.resolve("held").resolve(held.id() + ".held"), work.resolve("held").resolve(otherId + ".held"));

        assertThatThrownBy(() -> store.open(otherId)).isInstanceOf(HeldMailException.class).hasMessageContaining("moved");
        assertThat(store.list().unreadable()).containsOnlyKeys(otherId);
    }

    @Test
    void anotherKeyShouldNotOpenAndSaySo() throws Exception {
        HeldMail held = store(HeldMailKey.loadOrCreate(work.resolve("secrets/a.key"))).hold(draft(), MAIL);
        HeldMailStore other = store(HeldMailKey.loadOrCreate(work.resolve("secrets/b.key")));

        assertThatThrownBy(() -> other.open(held.id())).isInstanceOf(HeldMailException.class)
            .hasMessageContaining("sealed under key");
    }

    @Test
    void mailSealedUnderAnEarlierKeyShouldStillOpenWhileNewMailIsSealedUnderTheCurrentOne() throws Exception {
        HeldMailKey local = HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key"));
        HeldMail before = store(local).hold(draft(), MAIL);
        HeldMailKey master = HeldMailKey.loadOrCreate(work.resolve("secrets/cluster-master.key"));
        HeldMailStore joined = HeldMailStores.open(work.resolve("held"), master, List.of(local));

        assertThat(joined.open(before.id()).content()).isEqualTo(MAIL);
        HeldMail after = joined.hold(draft(), MAIL);
        assertThatThrownBy(() -> store(local).open(after.id())).hasMessageContaining("sealed under key " + master.keyId());
    }

    @Test
    void aKeyFileOthersMayReadShouldBeRefused() throws Exception {
        Path file = work.resolve("loose.key");
        HeldMailKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> HeldMailKey.fromFile(file)).hasMessageContaining("owner only");
    }

    @Test
    void heldBeforeShouldNameOnlyMailsOlderThanTheCutoffAndAtMostMax() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail old1 = store.hold(draft(), MAIL);
        HeldMail old2 = store.hold(draft(), MAIL);
        clock.advance(Duration.ofDays(31));
        HeldMail fresh = store.hold(draft(), MAIL);

        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        assertThat(store.heldBefore(cutoff, 10)).containsExactlyInAnyOrder(old1.id(), old2.id()).doesNotContain(fresh.id());
        assertThat(store.heldBefore(cutoff, 1)).hasSize(1);
    }

    @Test
    void requestsWithNamesThatAreNotRequestsShouldBeRemovedUnread() throws Exception {
        HeldMailStore store = store(HeldMailKey.loadOrCreate(work.resolve("secrets/held-mail.key")));
        HeldMail held = store.hold(draft(), MAIL);
        store.request(held.id(), HeldMailStore.Action.RELEASE);
        Path requests = work.resolve("held/requests");
        Files.createFile(requests.resolve("..%2fetc.release"));
        Files.createFile(requests.resolve(held.id() + ".send-in-clear"));

        assertThat(store.pendingRequests(10)).containsExactly(new HeldMailStore.Request(held.id(), HeldMailStore.Action.RELEASE));
        try (var left = Files.list(requests)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(held.id() + ".release");
        }
        assertThatThrownBy(() -> store.request("../../x", HeldMailStore.Action.DELETE)).isInstanceOf(IllegalArgumentException.class);
    }
}
