package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class NodeStartExceptionTest {
    @Test
    void bindFailureShouldBeFoundAsCauseOrSuppressedAsJamesAndNettyReportIt() {
        RuntimeException netty = new RuntimeException("Rethrowing promise failure cause");
        netty.addSuppressed(new BindException("Address already in use"));
        assertThat(NodeStartException.bindFailure(new IllegalStateException("init", netty))).isPresent();
        assertThat(NodeStartException.bindFailure(new RuntimeException(new BindException("x")))).isPresent();
        assertThat(NodeStartException.bindFailure(new RuntimeException("other"))).isEmpty();
    }

    @Test
    void portTakenShouldNameTheAddressAndWhatToDo() {
        assertThat(NodeStartException.portTaken("127.0.0.1", 2525, "choose another port: smtp.port in /d/sealgate.properties")
            .getMessage()).isEqualTo("SMTP port 127.0.0.1:2525 is already in use (another mail server or Sealgate node?): "
                + "stop that, or choose another port: smtp.port in /d/sealgate.properties");
    }

    @Test
    void portProbeShouldSeeAListeningPortAsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(PortProbe.isFree("127.0.0.1", taken.getLocalPort())).isFalse();
        }
        int free = PortProbe.freePort("127.0.0.1");
        assertThat(PortProbe.isFree("127.0.0.1", free)).isTrue();
    }
}
