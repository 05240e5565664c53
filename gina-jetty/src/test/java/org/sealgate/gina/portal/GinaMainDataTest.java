package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gina ... --data DATA} means the node's data directory, as for every command; the old form still works. */
class GinaMainDataTest {
    @TempDir
    Path data;

    @Test
    void dataShouldBeTheNodeDataDirectoryWithThePortalInGina() throws Exception {
        Files.createDirectories(data.resolve("gina"));
        Files.writeString(data.resolve("gina/gina.properties"), "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(GinaMain.portalDirectory(data, "reset-password", new PrintStream(err, true, StandardCharsets.UTF_8)))
            .isEqualTo(data.toAbsolutePath().resolve("gina"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void thePortalDirectoryItselfShouldStillWorkWithANoteForResetPassword() throws Exception {
        Files.writeString(data.resolve("sealgate.properties"), "");
        Files.createDirectories(data.resolve("gina"));
        Path portal = data.resolve("gina");
        Files.writeString(portal.resolve("gina.properties"), "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // DATA/gina/gina.properties does not exist under DATA/gina: the old form, accepted, with a note.
        assertThat(GinaMain.portalDirectory(portal, "reset-password", new PrintStream(err, true, StandardCharsets.UTF_8)))
            .isEqualTo(portal.toAbsolutePath());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data now takes the node's data directory")
            .contains("--data " + data.toAbsolutePath());
    }

    @Test
    void aDirectoryWithoutPortalSettingsShouldBeNamed() {
        assertThatThrownBy(() -> GinaMain.portalDirectory(data, "serve", System.err))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no gina.properties in " + data.toAbsolutePath().resolve("gina") + " or " + data.toAbsolutePath()
                + ": give --data the node's data directory (the demo's: ~/.sealgate/demo)");
    }
}
