package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.node.NodeSettings;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * A fresh node data directory for one scenario: settings relaying to the sink, the policy, a CA and the sender's
 * managed RSA-2048 key, and what the node knows of the (fixed) recipient: its RSA-2048 certificate (S/MIME
 * scenarios and the baseline), only its OpenPGP public key (v4, Ed25519/X25519, in {@code DATA/keys/pgp} as
 * {@code keys import-pgp} puts it) or nothing (GINA, with a {@link GinaCluster}; passthrough). The recipient's
 * secret keys, the CA certificate and the GINA key ring stay here, to check the mail that reaches the sink. Closing
 * stops the scenario's ZooKeeper, if it has one (after the node).
 */
public final class BenchFixture implements AutoCloseable {
    public static final String MANAGED_DOMAIN = "bench.sealgate.test";
    public static final String RECIPIENT_DOMAIN = "partner.example";
    public static final String SENDER = "alice@" + MANAGED_DOMAIN;
    public static final String RECIPIENT = "bob@" + RECIPIENT_DOMAIN;
    /** The inbound scenarios' partner (signs with a certificate of the bench CA or an imported OpenPGP key). */
    public static final String INBOUND_SENDER = "carol@" + RECIPIENT_DOMAIN;
    /** The inbound scenarios' managed recipient (S/MIME and OpenPGP keys on the node). */
    public static final String INBOUND_RECIPIENT = "dave@" + MANAGED_DOMAIN;

    private final Path data;
    private final int smtpPort;
    private final X509Certificate ca;
    private final Optional<ManagedIdentity> recipient;
    private final Optional<OpenPGPKey> pgpRecipient;
    private final Optional<GinaCluster> gina;
    private final Scenario.Load load;
    /** The inbound mail of every inbound load the node is set up for (one, or several in the mixed soak). */
    private final Map<Scenario.Load, InboundMail> inbound;
    /** Whether closing stops the fixture's ZooKeeper and GnuPG homes (false for a {@link #forLoad} view). */
    private final boolean owner;

    private BenchFixture(Path data, int smtpPort, X509Certificate ca, Optional<ManagedIdentity> recipient,
                         Optional<OpenPGPKey> pgpRecipient, Optional<GinaCluster> gina, Scenario.Load load,
                         Map<Scenario.Load, InboundMail> inbound, boolean owner) {
        this.data = data;
        this.load = load;
        this.inbound = inbound;
        this.owner = owner;
        this.smtpPort = smtpPort;
        this.ca = ca;
        this.recipient = recipient;
        this.pgpRecipient = pgpRecipient;
        this.gina = gina;
    }

    public static BenchFixture create(Path data, Scenario scenario, int smtpPort, int sinkPort) throws IOException {
        return create(data, scenario, scenario.load(), smtpPort, sinkPort);
    }

    /**
     * A fixture whose node receives {@code load}: a baseline gets the load of the scenario it alternates with, so
     * that both relay the same bytes on the same route.
     */
    public static BenchFixture create(Path data, Scenario scenario, Scenario.Load load, int smtpPort, int sinkPort)
        throws IOException {
        return create(data, scenario, load, load.inbound() ? List.of(load) : List.of(), smtpPort, sinkPort);
    }

    /**
     * One node set up for {@code outbound}'s load and, beside it, for every one of {@code inboundLoads} (the mixed
     * soak: outbound S/MIME encrypt and inbound decrypt + verify through the same node); {@link #forLoad} gives the
     * view of one load.
     */
    public static BenchFixture createMixed(Path data, Scenario outbound, List<Scenario.Load> inboundLoads, int smtpPort,
                                           int sinkPort) throws IOException {
        if (outbound.inbound() || inboundLoads.stream().anyMatch(l -> !l.inbound())) {
            throw new IllegalArgumentException("a mixed fixture is one outbound scenario and inbound loads");
        }
        return create(data, outbound, outbound.load(), inboundLoads, smtpPort, sinkPort);
    }

    private static BenchFixture create(Path data, Scenario scenario, Scenario.Load load, List<Scenario.Load> inboundLoads,
                                       int smtpPort, int sinkPort) throws IOException {
        Files.createDirectories(data);
        // Subject tags on for inbound load: "[signed OK]" / "[PGP OK]" is what the inbound scenarios check at the sink.
        new NodeSettings("gateway." + MANAGED_DOMAIN, "127.0.0.1", smtpPort, List.of("127.0.0.1/32"),
            List.of(MANAGED_DOMAIN), Optional.of("127.0.0.1:" + sinkPort), NodeSettings.DEFAULT_MAX_MESSAGE_KB,
            !inboundLoads.isEmpty(), scenario.pipeline()).save(data);
        FileKeyDirectory keys = FileKeyDirectory.open(data.resolve("keys"));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Bench CA");
        keys.addTrustAnchor(ca.certificate());
        keys.addManagedIdentity(ca.issue(IssueRequest.forEmail(SENDER, KeyType.RSA_2048)).toManagedIdentity(SENDER));
        Optional<ManagedIdentity> smime = Optional.empty();
        Optional<OpenPGPKey> pgp = Optional.empty();
        Optional<GinaCluster> gina = Optional.empty();
        switch (scenario.protection()) {
            case NONE, SMIME -> {
                IssuedIdentity bob = ca.issue(IssueRequest.forEmail(RECIPIENT, KeyType.RSA_2048));
                keys.addCertificate(bob.certificate());
                smime = Optional.of(bob.toManagedIdentity(RECIPIENT));
            }
            case PGP -> {
                OpenPGPKey bob = PgpKeys.generate("Bob <" + RECIPIENT + ">", 4);
                FilePgpKeyDirectory.open(data).addPublicKey(bob.toCertificate(), PgpPublicKey.Source.IMPORTED);
                pgp = Optional.of(bob);
            }
            case GINA -> gina = Optional.of(GinaCluster.start(data));
            case CLEAR -> {
                // Passthrough: the node knows no key of the recipient, so the policy sends the mail unencrypted.
            }
        }
        Map<Scenario.Load, InboundMail> inbound = new EnumMap<>(Scenario.Load.class);
        IssuedIdentity inboundRecipient = inboundLoads.isEmpty() ? null
            : ca.issue(IssueRequest.forEmail(INBOUND_RECIPIENT, KeyType.RSA_2048));
        if (inboundRecipient != null) {
            keys.addManagedIdentity(inboundRecipient.toManagedIdentity(INBOUND_RECIPIENT));
        }
        try {
            for (Scenario.Load each : inboundLoads) {
                // Each inbound load's tools (keys, GnuPG home) apart: the mixed soak's loads must not share them.
                Path tools = data.resolveSibling(inboundLoads.size() == 1 ? "tools"
                    : "tools-" + each.name().toLowerCase(java.util.Locale.ROOT));
                inbound.put(each, InboundMail.create(each, data, tools, ca, inboundRecipient));
            }
        } catch (IOException | RuntimeException e) {
            for (InboundMail mail : inbound.values()) {
                mail.close();
            }
            throw e;
        }
        if (gina.isEmpty()) {
            Files.writeString(data.resolve("policy.properties"), scenario.policy(), StandardCharsets.UTF_8);
        }
        return new BenchFixture(data, smtpPort, ca.certificate(), smime, pgp, gina, load, Map.copyOf(inbound), true);
    }

    /** The same node and keys as seen by one of its loads (not to be closed: the fixture it came from owns them). */
    public BenchFixture forLoad(Scenario.Load other) {
        if (other.inbound() && !inbound.containsKey(other)) {
            throw new IllegalArgumentException("this node is not set up for " + other);
        }
        return new BenchFixture(data, smtpPort, ca, recipient, pgpRecipient, gina, other, inbound, false);
    }

    public Path data() {
        return data;
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** What the node receives. */
    public Scenario.Load load() {
        return load;
    }

    /** The envelope sender of the load. */
    public String sender() {
        return load.inbound() ? INBOUND_SENDER : SENDER;
    }

    /** The (only) envelope recipient of the load. */
    public String recipient() {
        return load.inbound() ? INBOUND_RECIPIENT : RECIPIENT;
    }

    /** One message of the load (LF line ends). */
    public String message(MessageShape shape, String messageId, String subject) {
        InboundMail mail = inbound.get(load);
        return mail != null ? mail.message(shape, messageId, subject) : Messages.message(shape, messageId, subject);
    }

    /** The CA that issued the sender's (signing) certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** The recipient's S/MIME key (baseline and S/MIME scenarios). */
    public ManagedIdentity recipientIdentity() {
        return recipient.orElseThrow(() -> new IllegalStateException("this scenario's recipient has no S/MIME key"));
    }

    /** The recipient's OpenPGP secret key (OpenPGP scenario). */
    public OpenPGPKey pgpRecipient() {
        return pgpRecipient.orElseThrow(() -> new IllegalStateException("this scenario's recipient has no OpenPGP key"));
    }

    /** The cluster GINA key ring (GINA scenario). */
    public KeyRing ginaRing() {
        return gina.map(GinaCluster::ring).orElseThrow(() -> new IllegalStateException("this scenario has no GINA"));
    }

    @Override
    public void close() throws IOException {
        if (!owner) {
            return;
        }
        try {
            if (gina.isPresent()) {
                gina.get().close();
            }
        } finally {
            IOException first = null;
            for (InboundMail mail : inbound.values()) {
                try {
                    mail.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
