package org.sealgate.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A fresh Debian 12 root with the package installed, made with mmdebstrap. The base system (systemd and the
 * package's dependencies, named from its {@code Depends:}) is built once and cached as a tarball in
 * {@code target/appliance-roots/} (keyed by that package list), so every test class extracts it in seconds and
 * installs the package with dpkg: an unmet dependency fails the install, as on an administrator's machine.
 */
final class ApplianceRoot {
    static final String MIRROR = "http://deb.debian.org/debian";
    private static final Duration MMDEBSTRAP = Duration.ofMinutes(30);
    private static final Duration DPKG = Duration.ofMinutes(5);
    /** Booting needs systemd as init; the rest comes from the package's Depends. */
    private static final List<String> BOOT = List.of("systemd-sysv", "iproute2");

    private ApplianceRoot() {
    }

    static Path workDirectory() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("sealgate.deb.directory", "target"))
            .resolve("appliance-roots").toAbsolutePath());
    }

    /** The cached base tarball for this package's dependencies, built when missing. */
    static synchronized Path baseTarball(Path deb) throws IOException, InterruptedException {
        List<String> packages = new ArrayList<>(BOOT);
        packages.addAll(dependencies(deb));
        packages.sort(null);
        Path tarball = workDirectory().resolve("bookworm-" + shortHash(String.join(",", packages)) + ".tar");
        if (Files.exists(tarball)) {
            return tarball;
        }
        Path partial = tarball.resolveSibling(tarball.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Command.check(MMDEBSTRAP, "mmdebstrap", "--variant=apt", "--mode=root", "--format=tar",
            "--include=" + String.join(",", packages),
            // The JRE's postinst wants this directory, which excluding man pages would leave out.
            "--setup-hook=mkdir -p \"$1\"/usr/share/man/man1",
            "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
            "bookworm", partial.toString(), MIRROR);
        Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
        return tarball;
    }

    /** Extracts the base into {@code directory} and installs the package (and nothing else) with dpkg. */
    static Path create(Path directory, Path deb) throws IOException, InterruptedException {
        Path tarball = baseTarball(deb);
        remove(directory);
        Files.createDirectories(directory);
        Command.check(DPKG, "tar", "-C", directory.toString(), "-xpf", tarball.toString());
        // mmdebstrap leaves no /etc/hosts; a fresh installation has one.
        Files.writeString(directory.resolve("etc/hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
        install(directory, deb);
        return directory;
    }

    /** {@code dpkg -i} inside the root (not booted: maintainer scripts see no running systemd). */
    static String install(Path root, Path deb) throws IOException, InterruptedException {
        Path copy = root.resolve("tmp").resolve(deb.getFileName());
        Files.copy(deb, copy, StandardCopyOption.REPLACE_EXISTING);
        try {
            return Command.check(DPKG, "chroot", root.toString(), "dpkg", "-i", "/tmp/" + deb.getFileName());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    static void remove(Path directory) throws IOException, InterruptedException {
        if (Files.exists(directory)) {
            Command.check(DPKG, "rm", "-rf", "--one-file-system", directory.toString());
        }
    }

    /** The first alternative of each {@code Depends:} entry, without its version. */
    static List<String> dependencies(Path deb) throws IOException, InterruptedException {
        String depends = Command.check(DPKG, "dpkg-deb", "-f", deb.toString(), "Depends").strip();
        return Arrays.stream(depends.split(","))
            .map(d -> d.split("\\|")[0].replaceAll("\\(.*\\)", "").strip())
            .filter(d -> !d.isEmpty()).toList();
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
