package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;

/**
 * The packaged units as systemd 252 rates them offline. Whether they also load cleanly in a real Debian system
 * ({@code systemd-analyze verify}) is {@link InstallIT}'s part: it needs the root the package is installed in.
 */
class SystemdUnitsIT {
    /** systemd-analyze's "MEDIUM" ends below 7.0. */
    private static final double WORST_ACCEPTED_EXPOSURE = 6.9;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+) (\\S+)");

    @Test
    void everyServiceShouldBeRatedNoWorseThanMedium(@TempDir Path root) throws Exception {
        Prerequisites.require(Command.onPath("systemd-analyze"), "systemd-analyze (systemd)");
        Command.check(Duration.ofMinutes(2), "dpkg-deb", "-x", DebianPackage.built().toString(), root.toString());
        List<Path> services;
        try (Stream<Path> units = Files.list(root.resolve("lib/systemd/system"))) {
            services = units.filter(u -> u.toString().endsWith(".service")).sorted().toList();
        }
        assertThat(services).extracting(p -> p.getFileName().toString()).contains("sealgate-node.service",
            "sealgate-gina.service", "sealgate-vip-watch@.service", "sealgate-zookeeper.service", "sealgate-console.service");
        for (Path service : services) {
            Command security = Command.run(Duration.ofMinutes(1), "systemd-analyze", "security", "--offline=yes",
                "--no-pager", service.toString());
            Matcher matcher = EXPOSURE.matcher(security.output());
            assertThat(matcher.find()).as(service + ":\n" + security.output()).isTrue();
            assertThat(Double.parseDouble(matcher.group(2))).as(service + " exposure\n" + security.output())
                .isLessThanOrEqualTo(WORST_ACCEPTED_EXPOSURE);
        }
    }

    @Test
    void gatewayUnitShouldRunUnprivilegedWithOnlyTheBindCapability(@TempDir Path root) throws Exception {
        Command.check(Duration.ofMinutes(2), "dpkg-deb", "-x", DebianPackage.built().toString(), root.toString());
        List<String> node = Files.readAllLines(root.resolve("lib/systemd/system/sealgate-node.service"));
        assertThat(node).contains("User=sealgate", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
            "ProtectHome=yes", "SuccessExitStatus=143", "SystemCallFilter=@system-service",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "ExecStart=/usr/bin/sealgate node --data /var/lib/sealgate", "ReadWritePaths=/var/lib/sealgate");
        for (String unit : List.of("sealgate-zookeeper.service", "sealgate-vip-watch@.service", "sealgate-console.service")) {
            assertThat(Files.readAllLines(root.resolve("lib/systemd/system/" + unit))).as(unit)
                .contains("CapabilityBoundingSet=", "User=sealgate", "SuccessExitStatus=143");
        }
    }
}
