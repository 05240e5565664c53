package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;

/** The .deb as Debian's tools see it: lintian, its control fields, where its files go and with which modes. */
class DebianPackageIT {
    private static final Duration TOOL = Duration.ofMinutes(5);

    @Test
    void packageShouldHaveNoLintianErrors() throws Exception {
        Prerequisites.require(Command.onPath("lintian"), "lintian (apt-get install lintian)");
        Command lintian = Command.run(TOOL, "lintian", "--fail-on", "error", "--tag-display-limit", "0",
            DebianPackage.built().toString());
        assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")))
            .as(lintian.output()).isEmpty();
        assertThat(lintian.exitStatus()).as(lintian.output()).isZero();
    }

    @Test
    void controlShouldDependOnTheJreKeepalivedAndAdduser() throws Exception {
        String control = Command.check(TOOL, "dpkg-deb", "-f", DebianPackage.built().toString());
        assertThat(control).contains("Package: sealgate", "Architecture: all");
        String depends = control.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
        assertThat(depends).contains("openjdk-17-jre-headless | java17-runtime-headless", "keepalived", "adduser");
        assertThat(control.lines().filter(l -> l.startsWith("Version: ")).findFirst().orElseThrow())
            .matches("Version: \\d+\\.\\d+\\.\\d+.*");
        String conffiles = Command.check(TOOL, "dpkg-deb", "--info", DebianPackage.built().toString(), "conffiles");
        assertThat(conffiles.trim()).isEqualTo("/etc/sealgate/environment");
    }

    @Test
    void packageShouldShipJarsLauncherUnitsAndNoWritableFiles() throws Exception {
        List<String> listing = Command.check(TOOL, "dpkg-deb", "-c", DebianPackage.built().toString()).lines().toList();
        assertThat(listing).anyMatch(l -> l.matches("-rwxr-xr-x root/root .* \\./usr/bin/sealgate"));
        assertThat(listing).anyMatch(l -> l.matches(".* \\./usr/share/sealgate/lib/sealgate-cli-.*\\.jar"));
        assertThat(listing).anyMatch(l -> l.matches(".* \\./usr/share/sealgate/lib/james-server-.*\\.jar"));
        assertThat(listing).anyMatch(l -> l.matches(".* \\./usr/share/sealgate/gina/gina-jetty-.*\\.jar"));
        // The portal's classpath has Jetty 12 and no James (James brings Jetty 9).
        assertThat(listing).noneMatch(l -> l.matches(".* \\./usr/share/sealgate/gina/james-.*"));
        for (String unit : List.of("sealgate-node.service", "sealgate-gina.service", "sealgate-vip-watch@.service",
                                   "sealgate-zookeeper.service")) {
            assertThat(listing).anyMatch(l -> l.endsWith("./lib/systemd/system/" + unit));
        }
        assertThat(listing).anyMatch(l -> l.matches("-rw-r--r-- root/root .* \\./usr/lib/tmpfiles\\.d/sealgate\\.conf"));
        // Everything root's and not writable by anyone else; no test jars shipped.
        assertThat(listing).allMatch(l -> l.contains(" root/root "));
        assertThat(listing).noneMatch(l -> l.charAt(8) == 'w' || l.charAt(5) == 'w');
        assertThat(listing).noneMatch(l -> l.endsWith("-tests.jar"));
    }

    @Test
    void launcherShouldBeAPlainPosixShellScript(@TempDir Path root) throws Exception {
        Command.check(TOOL, "dpkg-deb", "-x", DebianPackage.built().toString(), root.toString());
        Path launcher = root.resolve("usr/bin/sealgate");
        assertThat(Files.readString(launcher)).startsWith("#!/bin/sh\n").doesNotContain("mvn");
        Command syntax = Command.run(TOOL, "sh", "-n", launcher.toString());
        assertThat(syntax.exitStatus()).as(syntax.output()).isZero();
        assertThat(Arrays.asList(Command.check(TOOL, "sh", launcher.toString(), "help").split("\n")))
            .anyMatch(l -> l.contains("setup [--from FILE]"));
    }
}
