package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * On an installed appliance (configuration in {@code /etc/sealgate}, systemd running, as root), setup starts the
 * new cluster's ZooKeeper member itself so that {@code cluster join} finds it; anywhere else (a test, a source
 * checkout) it leaves starting ZooKeeper to the caller.
 */
final class ApplianceServices {
    private static final long SYSTEMCTL_SECONDS = 60;

    private ApplianceServices() {
    }

    static void startZooKeeper(Path config, PrintStream out) throws IOException {
        if (!config.equals(SetupCommand.APPLIANCE_CONFIG) || !Files.isDirectory(Path.of("/run/systemd/system"))
            || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        Process process = new ProcessBuilder("systemctl", "enable", "--now", "sealgate-zookeeper.service")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(SYSTEMCTL_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                out.println("systemctl enable --now sealgate-zookeeper.service did not finish within " + SYSTEMCTL_SECONDS + " s");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return;
        }
        out.println("sealgate-zookeeper.service " + (process.exitValue() == 0 ? "started" : "did not start (exit "
            + process.exitValue() + "; journalctl -u sealgate-zookeeper)"));
    }
}
