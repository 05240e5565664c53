package org.sealgate.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.sealgate.testing.Prerequisites;

/**
 * The qcow2 built by {@code src/vm/build-vm.sh} from this build's package. The script's Debian root (kernel,
 * systemd and the package's dependencies) is cached as a tarball beside the other appliance roots, keyed by the
 * script's package list and the package's {@code Depends:}, so only the first build pays for mmdebstrap; the image itself is
 * made afresh every time (that is what is tested).
 */
final class VmImage {
    /** mmdebstrap with a kernel takes ~10 min on a busy 2-core machine; the rest 2–4 min. */
    private static final Duration BUILD = Duration.ofMinutes(40);
    static final String SKIP_PROPERTY = "sealgate.skipVm";

    private VmImage() {
    }

    /** Root, the build's tools and QEMU (./sealgate test installs them); skips locally, fails under CI. */
    static void requireTools() {
        Prerequisites.require("root".equals(System.getProperty("user.name")), "root (mmdebstrap, chroot, loop mount)");
        for (String tool : new String[] {"mmdebstrap", "mkfs.ext4", "sfdisk", "extlinux", "qemu-img", "qemu-system-x86_64"}) {
            Prerequisites.require(Command.onPath(tool), tool + " (./sealgate test installs it)");
        }
        Prerequisites.require(Files.isReadable(Path.of("/usr/lib/syslinux/mbr/mbr.bin")), "syslinux-common (mbr.bin)");
    }

    /**
     * The one documented way to skip the slow boot locally ({@code ./sealgate test --skip-vm}, i.e.
     * {@code -Dsealgate.skipVm=true}); under CI it is ignored, loudly, and the test runs.
     */
    static void skipUnlessWanted() {
        if (!Boolean.getBoolean(SKIP_PROPERTY)) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            System.err.println("VmImageIT: -D" + SKIP_PROPERTY + "=true ignored: CI never skips the VM boot test");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false,
            "VM boot skipped (-D" + SKIP_PROPERTY + "=true, ./sealgate test --skip-vm)");
    }

    /** Builds {@code target/sealgate_VERSION_amd64.qcow2} from {@code deb}; returns its path. */
    static Path build(Path deb) throws IOException, InterruptedException {
        Path script = Prerequisites.repositoryRoot().resolve("appliance-image/src/vm/build-vm.sh");
        String depends = Command.check(Duration.ofMinutes(1), "dpkg-deb", "-f", deb.toString(), "Depends").strip();
        // Keyed by what goes into the root: the script's package line and the package's Depends.
        String packages = Files.readAllLines(script).stream().filter(l -> l.startsWith("packages=")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no packages= line in " + script));
        Path base = ApplianceRoot.workDirectory().resolve("vm-bookworm-" + shortHash(packages + depends) + ".tar");
        String version = Command.check(Duration.ofMinutes(1), "dpkg-deb", "-f", deb.toString(), "Version").strip();
        Path image = deb.toAbsolutePath().resolveSibling("sealgate_" + version + "_amd64.qcow2");
        Files.deleteIfExists(image);
        Command.check(BUILD, "sh", script.toString(), "--base", base.toString(), deb.toAbsolutePath().toString(),
            image.toString());
        return image;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
