package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.sealgate.routes.audit.syslog.SyslogSettings;

/**
 * The syslog leg of the audit trail, from {@code audit.syslog.*} in {@code sealgate.properties}: per node (it is
 * needed before ZooKeeper is read, and each node names itself in HOSTNAME). Absent {@code audit.syslog.host}: off.
 */
final class SyslogNodeSettings {
    static final String HOST = "audit.syslog.host";
    static final String PORT = "audit.syslog.port";
    static final String PROTOCOL = "audit.syslog.protocol";
    static final String FACILITY = "audit.syslog.facility";
    static final String APP_NAME = "audit.syslog.app-name";
    static final String CA = "audit.syslog.ca";
    static final String QUEUE = "audit.syslog.queue-size";

    private SyslogNodeSettings() {
    }

    static Optional<SyslogSettings> load(Path data, String hostName) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        String host = p.getProperty(HOST, "").strip();
        if (host.isEmpty()) {
            return Optional.empty();
        }
        try {
            SyslogSettings.Protocol protocol = SyslogSettings.Protocol.parse(p.getProperty(PROTOCOL, "tls"));
            int defaultPort = protocol == SyslogSettings.Protocol.TLS ? 6514 : 514;
            Optional<Path> ca = Optional.ofNullable(p.getProperty(CA)).map(String::strip).filter(s -> !s.isEmpty())
                .map(data::resolve);
            return Optional.of(new SyslogSettings(host,
                Integer.parseInt(p.getProperty(PORT, Integer.toString(defaultPort)).strip()), protocol,
                Integer.parseInt(p.getProperty(FACILITY, "13").strip()), p.getProperty(APP_NAME, "sealgate").strip(),
                hostName, ca, Integer.parseInt(p.getProperty(QUEUE, "10000").strip())));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": audit.syslog: " + e.getMessage(), e);
        }
    }
}
