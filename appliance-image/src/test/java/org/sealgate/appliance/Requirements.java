package org.sealgate.appliance;

import org.sealgate.testing.Prerequisites;

/** What the appliance tests need: root, and Debian's tools to build, boot and talk to a root. */
final class Requirements {
    private Requirements() {
    }

    static void appliance() {
        Prerequisites.require("root".equals(System.getProperty("user.name")), "root (mmdebstrap, systemd-nspawn)");
        for (String tool : new String[] {"mmdebstrap", "systemd-nspawn", "nsenter", "swaks", "openssl", "smtp-sink"}) {
            Prerequisites.require(Command.onPath(tool), tool + " (./sealgate test installs it)");
        }
    }
}
