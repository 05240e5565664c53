package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.MutableClock;

/** The node's policy file is looked at once per interval, not on every look-up; a missing policy is not delayed. */
class PolicyFileCheckIntervalTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T20:00:00Z"));

    @Test
    void anEditShouldTakeEffectWithinOneIntervalAndNotBefore() throws Exception {
        Path file = write(Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = opportunistic");
        PolicyFile policy = new PolicyFile(file, INTERVAL, clock);
        assertThat(policy.settingsFor("bob@partner.test").encryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);

        write(Instant.parse("2026-01-01T00:00:01Z"), "default.encrypt = required");
        clock.advance(Duration.ofMillis(999));
        assertThat(policy.settingsFor("bob@partner.test").encryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);
        assertThat(policy.settingsForDomain("partner.test").encryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);

        clock.advance(Duration.ofMillis(1));
        assertThat(policy.settingsFor("bob@partner.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(policy.settingsForDomain("partner.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    @Test
    void aBrokenFileAtStartShouldBeReadAgainOnEveryUseSoTheFixIsTakenAtOnce() throws Exception {
        Path file = write(Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = maybe");
        PolicyFile policy = new PolicyFile(file, INTERVAL, clock);
        assertThat(policy.unavailable()).hasValueSatisfying(cause -> assertThat(cause).contains("line 1"));
        assertThat(policy.unavailable()).isPresent();

        write(Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = required");

        // No time has passed: a node without policy must not refuse mail for one more interval.
        assertThat(policy.unavailable()).isEmpty();
        assertThat(policy.settingsFor("bob@partner.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    @Test
    void aBrokenEditAfterAGoodLoadShouldStillKeepThePreviousPolicy() throws Exception {
        Path file = write(Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = required");
        PolicyFile policy = new PolicyFile(file, INTERVAL, clock);

        write(Instant.parse("2026-01-02T00:00:00Z"), "default.encrypt = maybe");
        clock.advance(INTERVAL);

        assertThat(policy.unavailable()).isEmpty();
        assertThat(policy.settingsFor("bob@partner.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    private Path write(Instant modified, String... lines) throws Exception {
        Path file = dir.resolve("policy.properties");
        Files.write(file, List.of(lines));
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
