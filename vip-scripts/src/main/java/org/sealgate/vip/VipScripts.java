package org.sealgate.vip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The shell scripts keepalived runs, shipped in this jar: {@code check-portal.sh} (the portal's /healthz over
 * HTTPS) and {@code notify.sh} (state changes logged, audited and recorded for {@code vip watch}).
 */
public final class VipScripts {
    public static final List<String> NAMES = List.of("check-portal.sh", "notify.sh");

    private VipScripts() {
    }

    /**
     * Writes the scripts into {@code directory} (mode 0755; the directory 0755). keepalived runs them only when
     * neither they nor any directory above them can be written by anyone but root.
     */
    public static void install(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : NAMES) {
            try (InputStream in = VipScripts.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("script " + name + " is missing from the vip-scripts jar");
                }
                Path file = directory.resolve(name);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
}
