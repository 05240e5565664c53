package org.sealgate.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a test needs from outside its module: shared test vectors, installed tools, other modules' build output.
 * Missing on a developer's machine it skips the test with the reason; under CI ({@code CI=true}, where
 * {@code ./sealgate test} installs and builds everything) it fails, so a test never skips silently there.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** Skips the test (fails it under CI) unless {@code present}. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("missing under CI: " + what);
        }
        assumeTrue(false, "missing: " + what);
    }

    /** The repository root: the nearest directory upwards from the working directory with the parent pom. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>sealgate-parent</artifactId>")
                    && Files.isDirectory(dir.resolve("sealgate-core"))) {
                    return dir;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no Sealgate repository root above " + Path.of("").toAbsolutePath());
    }

    /** {@code ../shared/testdata/NAME} beside the repository root, required as by {@link #require}. */
    public static Path sharedTestData(String name) {
        Path directory = repositoryRoot().resolveSibling("shared").resolve("testdata").resolve(name);
        require(Files.isDirectory(directory), "shared test vectors " + directory);
        return directory;
    }
}
