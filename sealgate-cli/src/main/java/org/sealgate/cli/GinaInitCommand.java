package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.GinaNodeSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * {@code sealgate gina init [--data DIR] [--config DIR] [--host-name NAME] [--port N] [--https-host ADDR]
 * [--cert FILE --key FILE] [--admin-credentials FILE]}: prepares a node's GINA portal the way the demo does, for
 * production: the gina ZooKeeper identity and the cluster's GINA and session key rings (made on a new cluster's
 * first node, otherwise they must have been copied from it: every node needs the same ones), the portal's HTTPS
 * certificate (imported from PEM, else self-signed once), {@code CONFIG/gina.properties} (linked from
 * {@code DATA/gina}, where the {@code sealgate-gina} unit runs), the node's portal URL and reply listener, and,
 * with the admin identity, {@code /gina} in ZooKeeper prepared for the gina identity alone. Idempotent.
 * Exit status: 0 done, 1 failed, 2 usage.
 */
final class GinaInitCommand {
    static final String PROPERTIES = "gina.properties";
    static final String SESSION_KEYS = "gina/session.keys";
    private static final Set<String> OPTIONS = Set.of("data", "config", "host-name", "port", "https-host", "cert", "key",
        ZkTarget.ADMIN_CREDENTIALS);

    private GinaInitCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = new Arguments(args, OPTIONS);
        arguments.positional(0, "init");
        Path data = arguments.dataDirectory();
        Path config = arguments.option("config").map(Paths::get).map(Path::toAbsolutePath).orElse(data);
        ClusterSettings cluster = ClusterSettings.load(data).orElseThrow(() -> new Arguments.UsageException(
            "GINA keeps its accounts in ZooKeeper: " + data.resolve(NodeSettings.FILE_NAME) + " has no " + ClusterSettings.CONNECT));
        NodeSettings node = NodeSettings.load(data);
        boolean firstNode = Files.exists(data.resolve(NewClusterWriter.INITIAL_DOCUMENT));
        if (arguments.option("cert").isPresent() != arguments.option("key").isPresent()) {
            throw new Arguments.UsageException("--cert and --key go together");
        }
        String hostName = arguments.option("host-name").orElse("gina." + node.managedDomains().get(0));
        int port = Integer.parseInt(arguments.option("port").orElse("8443"));

        // The cluster's shared GINA secrets: made on the first node, copied to the others out of band.
        for (String shared : List.of(GinaFiles.ZK_CREDENTIALS, GinaFiles.KEY_RING, SESSION_KEYS)) {
            if (!firstNode && !Files.exists(data.resolve(shared))) {
                err.println("sealgate: gina init: " + data.resolve(shared) + " is missing: copy it from the cluster's first"
                    + " node (same path, owner-only); every node's mailet and portal need the same file");
                return 1;
            }
        }
        Path portal = SetupWriter.createDirectory(data.resolve("gina"), "rwx------");
        DigestCredentials gina = ClusterBootstrap.gina(data);
        KeyRing.loadOrCreate(data.resolve(GinaFiles.KEY_RING), "gina-1");
        KeyRing.loadOrCreate(data.resolve(SESSION_KEYS), "session-1");

        Path keystore = portal.resolve("tls/portal.p12");
        Path password = portal.resolve("tls/portal.p12.password");
        if (arguments.option("cert").isPresent()) {
            PortalCertificate.importPem(Paths.get(arguments.option("cert").get()), Paths.get(arguments.option("key").get()),
                keystore, password);
            out.println("portal certificate imported into " + keystore);
        } else if (PortalCertificate.selfSignedIfMissing(keystore, password, hostName)) {
            out.println("portal certificate: self-signed for " + hostName + " in " + keystore
                + " (browsers warn: import a CA-issued one with --cert/--key)");
        }

        int reply = ClusterBootstrap.recordReplyListener(data, node.smtpPort());
        URI url = URI.create("https://" + hostName + (port == 443 ? "" : ":" + port));
        GinaNodeSettings.recordPortalUrl(data, url);
        StringBuilder text = new StringBuilder("""
            # The node's GINA portal, written by sealgate gina init (re-run it, or edit). See gina-jetty/README.md.
            https.host=%s
            https.port=%d
            http.port=-1
            public.url=%s
            tls.keystore=tls/portal.p12
            tls.keystore.password-file=tls/portal.p12.password
            zk.connect=%s
            zk.credentials=../%s
            gina.keys=gina.keys
            session.keys=session.keys
            smtp.gateway=127.0.0.1:%d
            node.id=%s
            """.formatted(arguments.option("https-host").orElse("0.0.0.0"), port, url, cluster.connect(),
            GinaFiles.ZK_CREDENTIALS, reply, cluster.nodeId()));
        for (String[] pair : portalTls(data)) {
            text.append(pair[0]).append('=').append(pair[1]).append('\n');
        }
        SetupWriter.writeAtomically(config.resolve(PROPERTIES), text.toString(), "rw-r-----");
        if (!config.equals(portal)) {
            Path link = portal.resolve(PROPERTIES);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, config.resolve(PROPERTIES));
        }
        out.println("written " + config.resolve(PROPERTIES) + " (portal on https://" + hostName + ":" + port
            + ", replies to 127.0.0.1:" + reply + ")");

        Optional<Path> admin = arguments.option(ZkTarget.ADMIN_CREDENTIALS).map(Paths::get)
            .or(() -> Optional.of(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE)).filter(Files::exists));
        if (admin.isEmpty()) {
            out.println("ZooKeeper's /gina not prepared from here (no admin credentials): the first node's gina init does it");
            return 0;
        }
        Optional<ZkTlsSettings> adminTls = Files.exists(data.resolve(ZkTarget.DATA_ADMIN_TLS))
            ? Optional.of(ZkTlsSettings.fromFile(data.resolve(ZkTarget.DATA_ADMIN_TLS)))
            : ClusterSettings.tls(data);
        ClusterBootstrap.prepareGina(cluster.connect(), DigestCredentials.fromFile(admin.get()), gina, adminTls);
        out.println("ZooKeeper: /gina prepared for the '" + gina.user() + "' identity, portal settings published");
        return 0;
    }

    /**
     * The portal's ZooKeeper TLS identity, relative to DATA/gina: its own ({@code zk-tls/portal.p12}, issued on a new
     * cluster's first node) when present, else the node's (a client certificate only opens the TLS connection;
     * what the portal may touch is decided by its digest identity's ACLs). None without TLS.
     */
    private static List<String[]> portalTls(Path data) throws IOException {
        Path pki = data.resolve(NewClusterWriter.PKI);
        Path base = data.resolve("gina");
        if (Files.exists(pki.resolve(NewClusterWriter.PORTAL_IDENTITY + ".p12"))) {
            String[] keys = ClusterBootstrap.tlsSettings(pki, base, NewClusterWriter.PORTAL_IDENTITY);
            return List.of(new String[] {keys[0], keys[1]}, new String[] {keys[2], keys[3]},
                new String[] {keys[4], keys[5]}, new String[] {keys[6], keys[7]});
        }
        Optional<ZkTlsSettings> node = ClusterSettings.tls(data);
        if (node.isEmpty()) {
            return List.of();
        }
        return List.of(new String[] {ZkTlsSettings.KEYSTORE, base.relativize(node.get().keystore()).toString()},
            new String[] {ZkTlsSettings.KEYSTORE_PASSWORD_FILE, base.relativize(node.get().keystorePasswordFile()).toString()},
            new String[] {ZkTlsSettings.TRUSTSTORE, base.relativize(node.get().truststore()).toString()},
            new String[] {ZkTlsSettings.HOSTNAME_VERIFICATION, Boolean.toString(node.get().hostnameVerification())});
    }
}
