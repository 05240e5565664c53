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

    static {
        // James calls System.exit on a start failure unless told not to; that exit would run the shutdown hook,
        // whose close() waits for the lock start() holds: the JVM hung for good. Failures now come back to start().
        if (System.getProperty("james.exit.on.startup.error") == null) {
            System.setProperty("james.exit.on.startup.error", "false");
        }
    }

    private enum State { LATENT, STARTED, CLOSED }

    private final NodeLayout layout;
    private final NodeSettings settings;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private SealgateCamel camel;
    private ClusterLink cluster;
    private GinaLink gina;
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
        // Before anything else starts: a taken port is the commonest start failure, named in seconds.
        if (!PortProbe.isFree(settings.smtpHost(), settings.smtpPort())) {
            close();
            throw NodeStartException.portTaken(settings.smtpHost(), settings.smtpPort(), whereSmtpPortIsSet());
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
            if (Files.exists(layout.policy())) {
                // An edit of this file would have no effect: say so at every start, where the operator looks.
                LOGGER.warn("{} is IGNORED: this node takes its policy from the cluster configuration in ZooKeeper"
                    + " (sealgate config show / apply); delete or rename the file", layout.policy());
            }
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
        Module queue = new DurableMailQueueModule();
        james = GuiceJamesServer.forConfiguration(configuration)
            .combineWith(Modules.override(MemoryJamesServerMain.SMTP_ONLY_MODULE).with(queue, new MailGuardModule()))
            .combineWith(new UsersRepositoryModuleChooser(new MemoryUsersRepositoryModule())
                .chooseModules(configuration.getUsersRepositoryImplementation()))
            .combineWith(new SealgateModule(keys, pgpKeys, policy, camel.auditPublisher(), gina.backend(), sms));
        try {
            james.start();
        } catch (Throwable e) {
            close();
            if (NodeStartException.bindFailure(e).isPresent()) {
                throw NodeStartException.portTaken(settings.smtpHost(), settings.smtpPort(), whereSmtpPortIsSet());
            }
            throw e;
        }
        LOGGER.info("Sealgate node up: SMTP on {}:{}, data in {}", settings.smtpHost(), settings.smtpPort(), layout.data());
    }

    private String whereSmtpPortIsSet() {
        return "choose another port: smtp.port in " + layout.data().resolve("sealgate.properties");
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
        // Mail queue consumers interrupted by the stop report errors nobody is subscribed to any more: expected now,
        // so one debug line each instead of reactor's stack trace at ERROR.
        reactor.core.publisher.Hooks.onErrorDropped(e -> LOGGER.debug("during stop: {}", e.toString()));
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
