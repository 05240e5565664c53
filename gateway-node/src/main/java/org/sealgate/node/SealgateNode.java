package org.sealgate.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyFile;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.routes.sms.SmsSettings;
import org.sealgate.zk.watch.ConfigHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Module;
import com.google.inject.util.Modules;

/**
 * One gateway node: a stock James 3.8.1 server (its SMTP server, mailet container, RemoteDelivery) with a durable
 * ActiveMQ queue, Sealgate's mailets on the classpath and its pipeline in {@code mailetcontainer.xml}, plus the
 * Camel context that carries audit events. Lifecycle: latent → started → closed; {@link #close()} is idempotent.
 */
public final class SealgateNode implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SealgateNode.class);

    private enum State { LATENT, STARTED, CLOSED }

    private final NodeLayout layout;
    private final NodeSettings settings;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private SealgateCamel camel;
    private ClusterLink cluster;
    private GinaLink gina;
    private HeldMailLink held;
    private GuiceJamesServer james;

    public SealgateNode(NodeLayout layout, NodeSettings settings) {
        this.layout = layout;
        this.settings = settings;
    }

    /** Reads {@code <data>/sealgate.properties}. */
    public static SealgateNode fromDataDirectory(Path data) throws IOException {
        NodeLayout layout = new NodeLayout(data);
        return new SealgateNode(layout, NodeSettings.load(layout.data()));
    }

    public synchronized void start() throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("node already started or closed");
        }
        Files.createDirectories(layout.james());
        // Mail, keys, queue and audit trail live here: nobody but the node's user reads any of it.
        Files.setPosixFilePermissions(layout.data(), PosixFilePermissions.fromString("rwx------"));
        GinaNodeSettings ginaSettings = GinaNodeSettings.load(layout.data());
        PgpKeyDirectory pgpKeys;
        camel = SealgateCamel.start(layout.audit());
        PolicyProvider policy;
        KeyDirectory keys;
        Optional<ClusterSettings> clusterSettings = ClusterSettings.load(layout.data());
        if (clusterSettings.isPresent()) {
            try {
                cluster = ClusterLink.start(clusterSettings.get(), settings, layout, camel.auditPublisher());
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            policy = cluster.policy();
            keys = cluster.keys().orElseGet(() -> FileKeyDirectory.open(layout.keys()));
            pgpKeys = cluster.pgpKeys().orElseGet(() -> FilePgpKeyDirectory.open(layout.data()));
        } else {
            policy = new PolicyFile(layout.policy());
            keys = FileKeyDirectory.open(layout.keys());
            pgpKeys = FilePgpKeyDirectory.open(layout.data());
        }
        // James's configuration is rendered now, after the cluster link: the document's trusted networks apply.
        NodeSettings effective = cluster == null ? settings : cluster.effectiveSettings(settings);
        try {
            JamesConfiguration.render(effective, ginaSettings, layout);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        SmsGateway sms = SmsGateway.NONE;
        try {
            ClusterLink link = cluster;
            gina = GinaLink.start(ginaSettings, clusterSettings, () -> link == null ? Optional.empty() : link.ginaPortal());
            if (ginaSettings.smsUrl().isPresent()) {
                sms = camel.smsGateway(SmsSettings.of(ginaSettings.smsUrl().get(), ginaSettings.smsCredentials(),
                    ginaSettings.smsSender()));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder()
            .workingDirectory(layout.james().toFile())
            .build();
        try {
            held = HeldMailLink.open(layout);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        Module queue = new DurableMailQueueModule();
        james = GuiceJamesServer.forConfiguration(configuration)
            .combineWith(Modules.override(MemoryJamesServerMain.SMTP_ONLY_MODULE).with(queue, new MailGuardModule()))
            .combineWith(new UsersRepositoryModuleChooser(new MemoryUsersRepositoryModule())
                .chooseModules(configuration.getUsersRepositoryImplementation()))
            .combineWith(new SealgateModule(keys, pgpKeys, policy, camel.auditPublisher(), gina.backend(), sms))
            .combineWith(held.module());
        try {
            james.start();
            held.start(james, camel.auditPublisher());
        } catch (Exception e) {
            close();
            throw e;
        }
        LOGGER.info("Sealgate node up: SMTP on {}:{}, data in {}", settings.smtpHost(), settings.smtpPort(), layout.data());
    }

    /** The cluster configuration's health; empty for a standalone node (policy.properties). */
    public Optional<ConfigHealth> clusterConfigHealth() {
        return Optional.ofNullable(cluster).map(ClusterLink::health);
    }

    /**
     * The node's cluster health in one line, e.g. {@code config stale since 2026-…Z (serving version 4); keys from
     * ZooKeeper: 3 certificates, ...}; the same line is published in the node registry. Empty for a standalone node.
     */
    public Optional<String> clusterHealthLine() {
        return Optional.ofNullable(cluster).map(ClusterLink::healthLine);
    }

    /** For tests in this package: the cluster link (to expire its ZooKeeper session, read registration state). */
    ClusterLink clusterLink() {
        return cluster;
    }

    public NodeSettings settings() {
        return settings;
    }

    public NodeLayout layout() {
        return layout;
    }

    @Override
    public synchronized void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        if (held != null) {
            held.close();
        }
        if (james != null) {
            try {
                james.stop();
            } catch (RuntimeException e) {
                LOGGER.warn("James did not stop cleanly: {}", e.toString());
            }
        }
        if (gina != null) {
            gina.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (camel != null) {
            camel.close();
        }
    }
}
