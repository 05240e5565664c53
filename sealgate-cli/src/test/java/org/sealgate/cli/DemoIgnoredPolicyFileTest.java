package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo takes its policy from ZooKeeper, so {@code DATA/policy.properties} is not read: writing one while the
 * demo runs, and editing it again, each warn in the node log (and the console) with the file and the commands that
 * do change the policy.
 */
class DemoIgnoredPolicyFileTest {
    @TempDir
    Path work;

    @Test
    void editingPolicyPropertiesWhileTheDemoRunsShouldWarnWithTheFileAndTheConfigCommands() throws Exception {
        try (DemoWithPortal demo = DemoWithPortal.start(work, DemoWithPortal.ginaClasspath())) {
            demo.awaitSmtp();
            Path file = demo.data().resolve("policy.properties");
            Path nodeLog = demo.data().resolve("logs/node.log");
            assertThat(file).doesNotExist();   // the demo makes none: its policy is the cluster document
            assertThat(Files.readString(nodeLog)).doesNotContain("is IGNORED");

            Files.writeString(file, "default.encrypt = required\n", StandardCharsets.UTF_8);
            String warning = file + " is IGNORED: this node takes its policy from the"
                + " cluster configuration in ZooKeeper. Change policy with `sealgate config show --data DATA`";
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> count(Files.readString(nodeLog), warning) == 1);
            assertThat(Files.readString(nodeLog)).contains("`sealgate config apply FILE --data DATA`; delete or rename policy.properties")
                .containsPattern("WARN .*IgnoredPolicyFile - " + java.util.regex.Pattern.quote(warning));
            assertThat(Files.readString(work.resolve("demo.log"))).contains(warning);

            // A second edit warns again (an admin who tries twice is told twice); no stack trace either time.
            Files.writeString(file, "default.encrypt = opportunistic\n", StandardCharsets.UTF_8);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> count(Files.readString(nodeLog), warning) == 2);
            assertThat(linesAfter(Files.readString(nodeLog), warning)).hasSize(2)
                .allSatisfy(next -> assertThat(next).doesNotStartWith("\t").doesNotContainPattern("^[\\w.$]+(Exception|Error)"));
        }
    }

    /**
     * The line after each warning: where a stack trace would start. (Only there: the ZooKeeper client may log a
     * reconnect with its stack trace elsewhere in the demo's log, which is not this warning's doing.)
     */
    private static List<String> linesAfter(String log, String part) {
        List<String> lines = log.lines().toList();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                after.add(i + 1 < lines.size() ? lines.get(i + 1) : "");
            }
        }
        return after;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
