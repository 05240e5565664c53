package org.sealgate.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notify.sh as keepalived's {@code vrrp_notify_fifo_script}: keepalived writes one line per change into the FIFO and
 * the script records them one after the other. (A plain notify script is started per change and not waited for, so
 * BACKUP then MASTER could be recorded as BACKUP on a busy host: cluster status then named no holder.)
 */
class NotifyFifoTest {
    private static final List<String> STATES = List.of("BACKUP", "MASTER", "FAULT");

    @TempDir
    Path dir;
    private Path script;
    private Path state;
    private Path fifo;

    @BeforeEach
    void installScripts() throws Exception {
        VipScripts.install(dir.resolve("scripts"));
        script = dir.resolve("scripts/notify.sh");
        state = Files.createDirectories(dir.resolve("state"));
        fifo = state.resolve("notify.fifo");
        assertThat(KeepalivedConfigTest.run("mkfifo", fifo.toString()).status()).isZero();
    }

    @Test
    void fifoReaderShouldRecordABurstOfChangesInTheOrderKeepalivedWroteThem() throws Exception {
        Process reader = new ProcessBuilder(script.toString(), state.toString(), fifo.toString())
            .redirectErrorStream(true).start();
        List<String> written = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String next = STATES.get(i % STATES.size());
            written.add(next);
            lines.append("INSTANCE \"sealgate_vip\" ").append(next).append(" 150\n");
            // Lines that are not states of our instance change nothing.
            lines.append("INSTANCE \"sealgate_vip\" MASTER_RX_LOWER_PRI 150\n").append("GROUP \"g\" STOP 0\n");
        }
        written.add("MASTER");
        lines.append("INSTANCE \"sealgate_vip\" MASTER 150\n");

        try (OutputStream keepalived = Files.newOutputStream(fifo)) {
            keepalived.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).as("the reader ends when keepalived closes the FIFO").isTrue();
        assertThat(reader.exitValue()).isZero();
        assertThat(Files.readString(state.resolve("state"))).startsWith("MASTER ");
        assertThat(recordedStates()).as("every change, in order; no STOP while keepalived (the parent) lives")
            .isEqualTo(written);
    }

    @Test
    void fifoReaderShouldRefuseWordsThatAreNoStateAndSanitiseTheName() throws Exception {
        Process reader = new ProcessBuilder(script.toString(), state.toString(), fifo.toString())
            .redirectErrorStream(true).start();
        try (OutputStream keepalived = Files.newOutputStream(fifo)) {
            keepalived.write(("INSTANCE \"x;rm$(id)\" MASTER 7\nINSTANCE \"sealgate_vip\" EVIL 1\n"
                + "INSTANCE \"sealgate_vip\" MASTER 1 extra\nINSTANCE \"sealgate_vip\" BACKUP 1;id\n")
                .getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> audit = Files.readAllLines(state.resolve("vip-audit.jsonl"));
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0)).contains("\"instance\":\"unknown\",\"state\":\"MASTER\",\"priority\":7");
        assertThat(audit.get(1)).contains("\"instance\":\"sealgate_vip\",\"state\":\"BACKUP\",\"priority\":0");
        assertThat(String.join("\n", audit)).doesNotContain("rm").doesNotContain("id)");
    }

    @Test
    void fifoReaderShouldRecordStopWhenKeepalivedDiedWithoutSayingSo() throws Exception {
        // A shell stands in for keepalived: the reader's parent, alive until told to exit (as a killed keepalived).
        Process keepalived = new ProcessBuilder("sh", "-c", "\"$0\" \"$1\" \"$2\" >/dev/null 2>&1 & read line",
            script.toString(), state.toString(), fifo.toString()).start();
        try (OutputStream out = Files.newOutputStream(fifo)) {
            // Opened: the reader runs, its parent being the shell.
            out.write("INSTANCE \"sealgate_vip\" MASTER 150\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitRecords(1);
            keepalived.getOutputStream().close();
            assertThat(keepalived.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        awaitRecords(2);
        assertThat(recordedStates()).containsExactly("MASTER", "STOP");
        assertThat(Files.readString(state.resolve("state"))).startsWith("STOP ");
    }

    private void awaitRecords(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recordedStates().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private List<String> recordedStates() throws Exception {
        Path audit = state.resolve("vip-audit.jsonl");
        if (!Files.exists(audit)) {
            return List.of();
        }
        return Files.readAllLines(audit).stream()
            .map(line -> line.replaceAll(".*\"state\":\"([A-Z]+)\".*", "$1")).toList();
    }
}
