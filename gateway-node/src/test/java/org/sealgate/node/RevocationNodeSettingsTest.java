package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.revocation.RevocationSettings;

class RevocationNodeSettingsTest {
    @TempDir
    Path data;

    @Test
    void absentKeysShouldGiveTheDefaults() throws Exception {
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "smtp.port=2525\n");

        assertThat(RevocationNodeSettings.load(data)).isEqualTo(RevocationSettings.defaults());
    }

    @Test
    void settingsShouldBeReadAndNonsenseRefusedWithTheKey() throws Exception {
        Files.writeString(data.resolve(NodeSettings.FILE_NAME),
            "revocation.timeout-ms=1500\nrevocation.max-crl-kb=512\nrevocation.failure-backoff-seconds=10\n");

        RevocationSettings settings = RevocationNodeSettings.load(data);

        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.maxCrlBytes()).isEqualTo(512 * 1024);
        assertThat(settings.failureBackoff()).isEqualTo(Duration.ofSeconds(10));
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "revocation.timeout-ms=0\n");
        assertThatThrownBy(() -> RevocationNodeSettings.load(data)).isInstanceOf(IOException.class)
            .hasMessageContaining("revocation.timeout-ms must be at least 1");
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "revocation.max-crl-kb=lots\n");
        assertThatThrownBy(() -> RevocationNodeSettings.load(data)).isInstanceOf(IOException.class)
            .hasMessageContaining("revocation.max-crl-kb must be a number, got 'lots'");
    }
}
