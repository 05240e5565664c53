package org.sealgate.vip;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a node's {@code keepalived.conf} needs besides the cluster document: where the shipped scripts and the
 * state directory are on this host, which port the local portal listens on, and the VRRP password (node-local, so
 * it never enters ZooKeeper or the configuration history). Everything here is written into the rendered file, so
 * each value is checked against a strict pattern: no quote, space or newline can change its meaning.
 *
 * @param scripts    directory holding {@code check-portal.sh} and {@code notify.sh} (root-owned, not writable
 *                   by anyone else: keepalived's {@code enable_script_security} refuses them otherwise)
 * @param state      directory where {@code notify.sh} writes the current VRRP state and the audit records
 * @param portalPort HTTPS port of the local portal; empty: the document's {@code gina.port}
 * @param authPass   VRRP password when the document says {@code authentication: pass}
 */
public record KeepalivedOptions(Path scripts, Path state, OptionalInt portalPort, Optional<String> authPass) {
    /** Where the Debian package installs the scripts. */
    public static final Path DEFAULT_SCRIPTS = Path.of("/usr/share/sealgate/vip");
    /** Where notify.sh records the state (a tmpfs: a state from before a reboot means nothing). */
    public static final Path DEFAULT_STATE = Path.of("/run/sealgate/vip");
    /** Where the VRRP password is read from when the document asks for one. */
    public static final Path DEFAULT_AUTH_PASS_FILE = Path.of("/etc/sealgate/vip-auth-pass");

    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./+-]*");
    // keepalived uses the first 8 characters of auth_pass; printable, no quote, backslash or space.
    private static final Pattern AUTH_PASS = Pattern.compile("[A-Za-z0-9!#$%&()*+,./:;<=>?@\\[\\]^_{|}~-]{1,8}");

    public KeepalivedOptions {
        scripts = checked(scripts, "scripts directory");
        state = checked(state, "state directory");
        if (portalPort.isPresent() && (portalPort.getAsInt() < 1 || portalPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("portal port must be between 1 and 65535, got " + portalPort.getAsInt());
        }
        if (authPass.isPresent() && !AUTH_PASS.matcher(authPass.get()).matches()) {
            // The message never repeats the password.
            throw new IllegalArgumentException("the VRRP password must be 1 to 8 printable characters without"
                + " spaces, quotes or backslashes");
        }
    }

    public static KeepalivedOptions defaults() {
        return new KeepalivedOptions(DEFAULT_SCRIPTS, DEFAULT_STATE, OptionalInt.empty(), Optional.empty());
    }

    public KeepalivedOptions withAuthPass(String password) {
        return new KeepalivedOptions(scripts, state, portalPort, Optional.of(password));
    }

    private static Path checked(Path path, String what) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(absolute.toString()).matches()) {
            throw new IllegalArgumentException(what + " '" + absolute + "' may hold only letters, digits and _ . / + -");
        }
        return absolute;
    }
}
