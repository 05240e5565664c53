package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.node.NodeSettings;

/**
 * A fresh node data directory for one scenario: settings relaying to the sink, the policy, a CA, the sender's managed
 * RSA-2048 key and the (fixed) recipient's RSA-2048 certificate. The recipient's key stays here, to check the mail
 * that reaches the sink.
 */
public final class BenchFixture {
    public static final String MANAGED_DOMAIN = "bench.sealgate.test";
    public static final String RECIPIENT_DOMAIN = "partner.example";
    public static final String SENDER = "alice@" + MANAGED_DOMAIN;
    public static final String RECIPIENT = "bob@" + RECIPIENT_DOMAIN;

    private final Path data;
    private final int smtpPort;
    private final ManagedIdentity recipient;

    private BenchFixture(Path data, int smtpPort, ManagedIdentity recipient) {
        this.data = data;
        this.smtpPort = smtpPort;
        this.recipient = recipient;
    }

    public static BenchFixture create(Path data, Scenario scenario, int smtpPort, int sinkPort) throws IOException {
        Files.createDirectories(data);
        new NodeSettings("gateway." + MANAGED_DOMAIN, "127.0.0.1", smtpPort, List.of("127.0.0.1/32"),
            List.of(MANAGED_DOMAIN), Optional.of("127.0.0.1:" + sinkPort), 51200, false, scenario.pipeline()).save(data);
        Files.writeString(data.resolve("policy.properties"), scenario.policy(), StandardCharsets.UTF_8);
        FileKeyDirectory keys = FileKeyDirectory.open(data.resolve("keys"));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Bench CA");
        keys.addTrustAnchor(ca.certificate());
        keys.addManagedIdentity(ca.issue(IssueRequest.forEmail(SENDER, KeyType.RSA_2048)).toManagedIdentity(SENDER));
        IssuedIdentity bob = ca.issue(IssueRequest.forEmail(RECIPIENT, KeyType.RSA_2048));
        keys.addCertificate(bob.certificate());
        return new BenchFixture(data, smtpPort, bob.toManagedIdentity(RECIPIENT));
    }

    public Path data() {
        return data;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public ManagedIdentity recipient() {
        return recipient;
    }
}
