package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
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
 * {@code keys import-pgp} puts it) or nothing (GINA, with a {@link GinaCluster}). The recipient's secret keys, the CA
 * certificate and the GINA key ring stay here, to check the mail that reaches the sink. Closing stops the
 * scenario's ZooKeeper, if it has one (after the node).
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
    private final Optional<InboundMail> inbound;

    private BenchFixture(Path data, int smtpPort, X509Certificate ca, Optional<ManagedIdentity> recipient,
                         Optional<OpenPGPKey> pgpRecipient, Optional<GinaCluster> gina, Scenario.Load load,
                         Optional<InboundMail> inbound) {
        this.data = data;
        this.load = load;
        this.inbound = inbound;
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
        Files.createDirectories(data);
        // Subject tags on for inbound load: "[signed OK]" / "[PGP OK]" is what the inbound scenarios check at the sink.
        new NodeSettings("gateway." + MANAGED_DOMAIN, "127.0.0.1", smtpPort, List.of("127.0.0.1/32"),
            List.of(MANAGED_DOMAIN), Optional.of("127.0.0.1:" + sinkPort), 51200, load.inbound(), scenario.pipeline()).save(data);
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
        }
        Optional<InboundMail> inbound = load.inbound()
            ? Optional.of(InboundMail.create(load, data, data.resolveSibling("tools"), ca, keys)) : Optional.empty();
        if (gina.isEmpty()) {
            Files.writeString(data.resolve("policy.properties"), scenario.policy(), StandardCharsets.UTF_8);
        }
        return new BenchFixture(data, smtpPort, ca.certificate(), smime, pgp, gina, load, inbound);
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
        return inbound.map(mail -> mail.message(shape, messageId, subject))
            .orElseGet(() -> Messages.message(shape, messageId, subject));
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
        try {
            if (gina.isPresent()) {
                gina.get().close();
            }
        } finally {
            if (inbound.isPresent()) {
                inbound.get().close();
            }
        }
    }
}
