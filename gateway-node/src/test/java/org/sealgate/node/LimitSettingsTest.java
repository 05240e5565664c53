package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.MimeLimits;

class LimitSettingsTest {
    @TempDir
    Path data;

    @Test
    void absentKeysShouldGiveTheDefaults() throws Exception {
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "smtp.port=2525\n");

        LimitSettings limits = LimitSettings.load(data);

        assertThat(limits).isEqualTo(LimitSettings.DEFAULTS);
        assertThat(limits.mime()).isEqualTo(MimeLimits.DEFAULTS);
        assertThat(limits.values()).containsEntry("smtp.max.connections.per.ip", "20").containsEntry("limits.unwrapped.kb", "65536");
    }

    @Test
    void settingsShouldBeReadAndNonsenseRefusedWithTheKey() throws Exception {
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "smtp.max-connections-per-ip=3\nlimits.mime-depth=10\n");
        LimitSettings limits = LimitSettings.load(data);
        assertThat(limits.connectionsPerIp()).isEqualTo(3);
        assertThat(limits.mime().maxDepth()).isEqualTo(10);

        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "smtp.max-connections=0\n");
        assertThatThrownBy(() -> LimitSettings.load(data)).isInstanceOf(IOException.class).hasMessageContaining("smtp.max-connections");
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "limits.mime-parts=lots\n");
        assertThatThrownBy(() -> LimitSettings.load(data)).isInstanceOf(IOException.class).hasMessageContaining("limits.mime-parts");
    }
}
