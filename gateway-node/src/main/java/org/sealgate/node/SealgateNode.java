package org.sealgate.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.sealgate.delivery.NextHop;
import org.sealgate.admin.AdminEndpoint;
import org.sealgate.admin.AdminEndpoints;
import org.sealgate.admin.NodeHealth;
import org.sealgate.admin.NodeMetrics;
import org.sealgate.admin.SmtpProbe;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyFile;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationCheckers;
import org.sealgate.revocation.RevocationTransport;
import org.sealgate.revocation.SharedCrls;
import org.sealgate.routes.jobs.JobStatistics;
import org.sealgate.keys.discovery.AgingDiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;
import org.sealgate.keys.discovery.KeyDiscovery;
import org.sealgate.mailets.RecipientDiscovery;
import org.sealgate.routes.discovery.DiscoveryCache;
import org.sealgate.routes.discovery.DiscoveryOrder;
import org.sealgate.routes.sms.SmsSettings;
import org.sealgate.smtp.TrustedNetworks;
import org.sealgate.smtp.DrainSwitch;
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
    private final Optional<AdminSettings> adminOverride;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private SealgateCamel camel;
    private volatile DiscoveryCache discoveryCache;
    private volatile AgingDiscoveredKeyStore discoveredKeys;
    private ClusterLink cluster;
    private IgnoredPolicyFile ignoredPolicy;
    private GinaLink gina;
    private volatile LiveSettings live;
    private HeldMailLink held;
    private GuiceJamesServer james;
    private final StuckMailCounts stuckMails = new StuckMailCounts();
    private DrainSwitch drain;
    private NodeHealth health;
    private AdminEndpoint admin;
    private volatile NodeJobs jobs;

    public SealgateNode(NodeLayout layout, NodeSettings settings) {
        this(layout, settings, Optional.empty());
    }

    /** With the admin endpoint's settings given (the demo's {@code --admin-port}) instead of read from DATA. */
    public SealgateNode(NodeLayout layout, NodeSettings settings, Optional<AdminSettings> admin) {
        this.layout = layout;
        this.settings = settings;
        this.adminOverride = admin;
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
        AdminSettings adminSettings = adminOverride.isPresent() ? adminOverride.get() : AdminSettings.load(layout.data());
        camel = orClose(() -> SealgateCamel.start(layout.audit(), new java.util.Properties(),
            SealgateCamel.DEFAULT_SHUTDOWN_TIMEOUT, SyslogNodeSettings.load(layout.data(), settings.hostname())));
        // Every audit event passes the metrics first: mails per outcome and method are counted where published.
        Clock clock = Clock.systemUTC();
        drain = new DrainSwitch(adminSettings.drainGrace(), clock);
        NodeAdminView view = new NodeAdminView(this::queueProbe, layout.james().resolve("var/store/activemq"), clock);
        NodeMetrics metrics = new NodeMetrics(view, drain, clock);
        AuditPublisher audit = metrics.counting(camel.auditPublisher());
        camel.syslog().ifPresent(syslog -> metrics.registerSyslog(syslog::sent, syslog::dropped));
        metrics.registerJobLeadership(this::leadsJobs);
        metrics.registerStuckMails(stuckMails::snapshot);
        Optional<ClusterSettings> clusterSettings = ClusterSettings.load(layout.data());
        if (clusterSettings.isPresent()) {
            cluster = orClose(() -> ClusterLink.start(clusterSettings.get(), settings, layout, audit));
            // An edit of this file would have no effect: say so at start and at each edit, where the operator looks.
            ignoredPolicy = new IgnoredPolicyFile(layout.policy(), IgnoredPolicyFile.DEFAULT_CHECK);
            ignoredPolicy.start();
        }
        // The cluster's policy always; its keys when it keeps them in ZooKeeper, else this node's DATA/keys.
        Optional<ClusterLink> link = Optional.ofNullable(cluster);
        PolicyProvider policy = link.map(ClusterLink::policy)
            .orElseGet(() -> new PolicyFile(layout.policy(), PolicyFile.NODE_CHECK_INTERVAL, clock));
        KeyDirectory keys = link.flatMap(ClusterLink::keys).orElseGet(() -> FileKeyDirectory.open(layout.keys()));
        PgpKeyDirectory pgpKeys = link.flatMap(ClusterLink::pgpKeys).orElseGet(() -> FilePgpKeyDirectory.open(layout.data()));
        view.attach(policy, cluster);
        // In a cluster keeping its keys in ZooKeeper, what one node discovers every node uses (/keys/discovered).
        DiscoveredKeyStore discovered = link.flatMap(ClusterLink::discoveredKeys)
            .orElseGet(() -> new FileDiscoveredKeyStore(layout.keys().resolve("discovered")));
        RecipientDiscovery discovery = orClose(() -> keyDiscovery(settings, policy, keys, discovered, clock));
        // James's configuration is rendered now, after the cluster link: the document's next hop and trusted
        // networks apply, and keep applying live (LiveSettings).
        LiveSettings live = cluster == null ? LiveSettings.standalone(settings) : cluster.liveSettings(settings);
        this.live = live;
        NodeSettings effective = live.startSettings();
        orClose(() -> {
            JamesConfiguration.render(effective, ginaSettings, layout);
            return null;
        });
        gina = orClose(() -> GinaLink.start(ginaSettings, clusterSettings, ClusterSettings.tls(layout.data()),
            () -> link.flatMap(ClusterLink::ginaPortal)));
        SmsGateway sms = ginaSettings.smsUrl().isEmpty() ? SmsGateway.NONE : orClose(() -> camel.smsGateway(
            SmsSettings.of(ginaSettings.smsUrl().get(), ginaSettings.smsCredentials(), ginaSettings.smsSender())));
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder()
            .workingDirectory(layout.james().toFile())
            .build();
        held = orClose(() -> HeldMailLink.open(layout));
        Module queue = new DurableMailQueueModule(stuckMails);
        // Live revocation: CRL and OCSP exchanges through the Camel routes; in a cluster, fetched CRLs shared in
        // ZooKeeper so one fetch (the leader's refresh job, or a node's miss) serves every node.
        RevocationChecker revocation = RevocationCheckers.live(RevocationNodeSettings.load(layout.data()), keys::crls,
            clock, cluster == null ? SharedCrls.NONE : cluster.sharedCrls(),
            camel.revocationTransport(RevocationTransport.direct()));
        // One budget for every whole-message step on this node (issue 16: a burst of large mails waits, never OOMs).
        MailMemoryBudget budget = orClose(() -> MailBudgetSettings.load(layout.data()).budget());
        LOGGER.info("Mail memory budget: {}", budget);
        metrics.registerMemoryBudget(budget);
        SealgateModule sealgate = new SealgateModule(keys, pgpKeys, policy, audit, gina.backend(), sms, drain, discoveredKeys,
            discovery, revocation);
        james = GuiceJamesServer.forConfiguration(configuration)
            .combineWith(Modules.override(MemoryJamesServerMain.SMTP_ONLY_MODULE).with(queue, new MailGuardModule(), new BoundedSmtpModule()))
            .combineWith(new UsersRepositoryModuleChooser(new MemoryUsersRepositoryModule())
                .chooseModules(configuration.getUsersRepositoryImplementation()))
            .combineWith(sealgate)
            .combineWith(binder -> {
                binder.bind(NextHop.class).toInstance(live);
                binder.bind(MailMemoryBudget.class).toInstance(budget);
                binder.bind(TrustedNetworks.class).toInstance(live);
            })
            .combineWith(held.module());
        try {
            james.start();
            held.start(james, audit);
        } catch (Throwable e) {
            close();
            if (NodeStartException.bindFailure(e).isPresent()) {
                throw NodeStartException.portTaken(settings.smtpHost(), settings.smtpPort(), whereSmtpPortIsSet());
            }
            throw e;
        }
        jobs = orClose(() -> NodeJobs.start(layout, cluster, camel, new SpoolNoticeMailer(james.getProbe(SpoolProbe.class)),
            keys, pgpKeys, audit, discoveryCache, discoveredKeys, sealgate.revocation()));
        try {
            // After James: the health check probes the SMTP listener James opened.
            SmtpProbe smtp = new SmtpProbe(smtpProbeAddress(settings), Duration.ZERO, clock);
            health = new NodeHealth(smtp, view, drain, clock);
            health.start(Duration.ofSeconds(1));
            admin = AdminEndpoints.start(adminSettings.bindAddress(), layout.data().resolve("admin"), health, metrics, view,
                drain, clusterSettings.map(ClusterSettings::nodeId).orElse(""), held.access(audit, clock),
                () -> link.flatMap(ClusterLink::adminTokenDigest));
            if (cluster != null) {
                cluster.publishAdmin(AdminEndpoints.read(layout.data().resolve("admin")));
            }
        } catch (IOException | RuntimeException e) {
            close();
            if (NodeStartException.bindFailure(e).isPresent()) {
                throw new NodeStartException("admin endpoint port " + adminSettings.host() + ":" + adminSettings.port()
                    + " is already in use: stop what holds it, or choose another port: admin.port in "
                    + layout.data().resolve("sealgate.properties"));
            }
            throw e;
        }
        LOGGER.info("Sealgate node up: SMTP on {}:{}, data in {}", settings.smtpHost(), settings.smtpPort(), layout.data());
    }

    /** One step of {@link #start()}: when it fails, what started so far is closed and the failure thrown on. */
    private <T> T orClose(StartStep<T> step) throws IOException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface StartStep<T> {
        T run() throws IOException;
    }

    /** Runs and skipped ticks per job on this node; empty before start. */
    public Optional<JobStatistics> jobStatistics() {
        return Optional.ofNullable(jobs).map(NodeJobs::statistics);
    }

    /** Whether this node leads the cluster's scheduled jobs now. */
    public boolean leadsJobs() {
        ClusterLink link = cluster;
        NodeJobs started = jobs;
        return link != null ? link.jobLeadership().isLeader() : started != null && started.leads();
    }

    /** Where the admin endpoint listens (the real port when {@code admin.port} is 0); empty before start. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminEndpoint::address);
    }

    /** The node's drain switch (the admin endpoint's {@code /drain}); empty before start. */
    public Optional<DrainSwitch> drainSwitch() {
        return Optional.ofNullable(drain);
    }

    private Optional<QueueProbe> queueProbe() {
        GuiceJamesServer server = james;
        return server == null || !server.isStarted() ? Optional.empty() : Optional.of(server.getProbe(QueueProbe.class));
    }

    /** A wildcard SMTP bind is probed over loopback. */
    private static InetSocketAddress smtpProbeAddress(NodeSettings settings) {
        String host = settings.smtpHost();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return new InetSocketAddress(wildcard ? "127.0.0.1" : host, settings.smtpPort());
    }

    private String whereSmtpPortIsSet() {
        return "choose another port: smtp.port in " + layout.data().resolve("sealgate.properties");
    }

    /**
     * Key discovery as the policy engine sees it: every source the node's settings describe, asked in the order the
     * recipient domain's {@code key-discovery} setting gives (read anew per look-up), each answer validated against
     * the trust anchors and CRLs of that moment; found keys are kept in {@code discovered} (the cluster's shared
     * folder, or {@code keys/discovered}), seen by the selection through {@link #discoveredKeys} (past the positive
     * TTL only after asking again).
     */
    private RecipientDiscovery keyDiscovery(NodeSettings settings, PolicyProvider policy, KeyDirectory keys,
                                            DiscoveredKeyStore discovered, Clock clock) throws IOException {
        DiscoverySettings discovery = DiscoverySettings.load(layout.data());
        List<String> managed = settings.managedDomains().stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        discoveryCache = discovery.cache(clock);
        KeyDiscovery sources = camel.keyDiscovery(discovery.sources(),
            DiscoveryOrder.fromPolicy(domain -> policy.settingsForDomain(domain).keyDiscovery()),
            () -> new DiscoveredKeyValidator(keys.scopedTrustAnchors(), managed::contains, keys.crls(), clock),
            discoveryCache);
        discoveredKeys = discovery.aging(discovered, clock);
        return new RecipientDiscovery(sources, discoveredKeys, policy, discovery.bound());
    }

    /**
     * The key discovery cache (found keys and "nothing found" per address, with their TTLs), for a scheduled
     * {@link DiscoveryCache#evictExpired()}; null before {@link #start()}.
     */
    public DiscoveryCache discoveryCache() {
        return discoveryCache;
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

    /**
     * What of the cluster document this node cannot apply until it restarts, as "restart required: …" (the same text
     * is in {@link #clusterHealthLine()} and the registry); empty when everything is in force or before start.
     */
    public Optional<String> restartRequired() {
        LiveSettings settings = live;
        return settings == null ? Optional.empty() : settings.restartRequired();
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
        if (jobs != null) {
            jobs.close();
        }
        if (ignoredPolicy != null) {
            ignoredPolicy.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (health != null) {
            health.close();
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
