package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * The admin console's settings on an appliance ({@code console = on} in setup): {@code CONFIG/console.properties},
 * linked from {@code DATA/console} where the {@code sealgate-console} unit runs {@code ConsoleMain}. The console
 * works as the admin ZooKeeper identity ({@code DATA/secrets/zk-admin.credentials}; over TLS the admin's
 * certificate when this node has one, else the node's), on loopback port 9443 unless answered otherwise, with a
 * self-signed certificate made once; its TOTP key ring is {@code DATA/console/console.keys}, the file
 * {@code console add-admin} uses too.
 */
final class ConsoleSetup {
    static final String PROPERTIES = "console.properties";

    private ConsoleSetup() {
    }

    static Path write(Path config, Path data, SetupAnswers answers) throws IOException {
        ClusterSettings cluster = ClusterSettings.load(data).orElseThrow();
        Path console = SetupWriter.createDirectory(data.resolve("console"), "rwx------");
        // Made here, so setup gives it to the service user: add-admin (run as root) and the console share it.
        org.sealgate.gina.key.KeyRing.loadOrCreate(data.resolve(ConsoleCommand.KEYS_FILE), "console-1");
        String host = answers.get("console.host", "127.0.0.1");
        int port = Integer.parseInt(answers.get("console.port", "9443"));
        PortalCertificate.selfSignedIfMissing(console.resolve("tls/console.p12"), console.resolve("tls/console.p12.password"),
            host.equals("0.0.0.0") ? answers.get("node.hostname", answers.nodeId()) : host);
        StringBuilder text = new StringBuilder("""
            # The admin web console, written by sealgate setup (console = on). First admin:
            #   sealgate console add-admin NAME --data %s
            https.host=%s
            https.port=%d
            tls.keystore=tls/console.p12
            tls.keystore.password-file=tls/console.p12.password
            zk.connect=%s
            zk.credentials=../%s
            totp.keys=console.keys
            audit.search-dir=../audit
            """.formatted(data, host, port, cluster.connect(), ClusterSettings.ADMIN_CREDENTIALS_FILE));
        Optional<ZkTlsSettings> tls = Files.exists(data.resolve(ZkTarget.DATA_ADMIN_TLS))
            ? Optional.of(ZkTlsSettings.fromFile(data.resolve(ZkTarget.DATA_ADMIN_TLS)))
            : ClusterSettings.tls(data);
        if (tls.isPresent()) {
            text.append(ZkTlsSettings.KEYSTORE).append('=').append(console.relativize(tls.get().keystore())).append('\n')
                .append(ZkTlsSettings.KEYSTORE_PASSWORD_FILE).append('=')
                .append(console.relativize(tls.get().keystorePasswordFile())).append('\n')
                .append(ZkTlsSettings.TRUSTSTORE).append('=').append(console.relativize(tls.get().truststore())).append('\n')
                .append(ZkTlsSettings.HOSTNAME_VERIFICATION).append("=true\n");
        }
        Path file = config.resolve(PROPERTIES);
        SetupWriter.writeAtomically(file, text.toString(), "rw-r-----");
        if (!config.equals(console)) {
            Path link = console.resolve(PROPERTIES);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, file);
        }
        return file;
    }
}
