package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The node's launch defaults as the benchmark reads them: the same file ./sealgate and the appliance read. */
class NodeDefaultsTest {
    @Test
    void parseShouldSplitJvmOptionsFromEnvironmentAndSkipComments() {
        NodeDefaults defaults = NodeDefaults.parse("# comment\n\nSEALGATE_NODE_JAVA_OPTS=-Xmx400m  -XX:+Foo\n"
            + "MALLOC_ARENA_MAX=2\n");

        assertThat(defaults.javaOptions()).containsExactly("-Xmx400m", "-XX:+Foo");
        assertThat(defaults.environment()).isEqualTo(Map.of("MALLOC_ARENA_MAX", "2"));
        assertThatThrownBy(() -> NodeDefaults.parse("-Xmx1g\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shippedDefaultsShouldBoundTheHeapAndEndTheNodeOnOutOfMemory() {
        NodeDefaults defaults = NodeDefaults.load();

        assertThat(defaults.javaOptions()).anyMatch(o -> o.startsWith("-Xmx")).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(NodeProcess.describeOptions()).contains("-Xmx");
    }
}
