package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The demo's admin port: as asked, else 8081, else a free one when 8081 is taken. */
class DemoAdminPortTest {

    @Test
    void shouldPickAnotherFreePortWhen8081IsTaken() throws IOException {
        ServerSocket held = null;
        try {
            try {
                held = new ServerSocket(DemoAdminPort.DEFAULT, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                // someone else holds 8081 already: taken either way
            }
            int chosen = DemoAdminPort.choose(Optional.empty());
            assertThat(chosen).isNotEqualTo(DemoAdminPort.DEFAULT).isPositive();
            try (ServerSocket usable = new ServerSocket(chosen, 1, InetAddress.getLoopbackAddress())) {
                assertThat(usable.getLocalPort()).isEqualTo(chosen);
            }
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }

    @Test
    void shouldTakeTheAskedPortAndRefuseNonsense() throws IOException {
        assertThat(DemoAdminPort.choose(Optional.of("18081"))).isEqualTo(18081);
        assertThatThrownBy(() -> DemoAdminPort.choose(Optional.of("http"))).isInstanceOf(Arguments.UsageException.class)
            .hasMessageContaining("--admin-port");
        assertThatThrownBy(() -> DemoAdminPort.choose(Optional.of("70000"))).isInstanceOf(Arguments.UsageException.class);
    }
}
