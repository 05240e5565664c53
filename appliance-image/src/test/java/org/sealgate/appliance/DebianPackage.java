package org.sealgate.appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.sealgate.testing.Prerequisites;

/** The package this module's build made ({@code target/sealgate_VERSION_all.deb}; failsafe runs after package). */
final class DebianPackage {
    private DebianPackage() {
    }

    static Path built() throws IOException {
        Path target = Path.of(System.getProperty("sealgate.deb.directory", "target"));
        List<Path> debs;
        try (Stream<Path> files = Files.list(target)) {
            debs = files.filter(f -> f.getFileName().toString().matches("sealgate_.+_all\\.deb")).toList();
        }
        Prerequisites.require(debs.size() == 1, "exactly one sealgate_*_all.deb in " + target.toAbsolutePath()
            + " (mvn -pl appliance-image -am package), found " + debs);
        return debs.get(0);
    }
}
