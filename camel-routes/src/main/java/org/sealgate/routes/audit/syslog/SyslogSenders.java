package org.sealgate.routes.audit.syslog;

/** Creates {@link SyslogSender}s. */
public final class SyslogSenders {

    private SyslogSenders() {
    }

    public static SyslogSender create(SyslogSettings settings) {
        return new SyslogSenderImpl(settings, ProcessHandle.current().pid());
    }
}
