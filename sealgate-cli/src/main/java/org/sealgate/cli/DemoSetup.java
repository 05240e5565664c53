package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.sealgate.keys.CertificateIssuer;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.node.NodeLayout;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.node.NodeSettings;

/**
 * Creates the demo's data directory on first start: node settings, a demo CA with the managed users
 * alice@ and bob@demo.sealgate.test (S/MIME and OpenPGP keys), a partner carol@partner.example whose certificate
 * the gateway knows and whose private key is left in {@code demo/} so a person can play the partner with OpenSSL,
 * and a partner dana@partner.example with only an OpenPGP key, her secret key left in {@code demo/} for GnuPG.
 */
final class DemoSetup {
    static final String DOMAIN = "demo.sealgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String CAROL = "carol@partner.example";
    static final String DANA = "dana@partner.example";

    private DemoSetup() {
    }

    /**
     * v4 keys on Ed25519/Curve25519 in the encodings GnuPG 2.2 reads. Public keys go to {@code demo/*.pgp.asc};
     * Dana's secret key (unprotected, like carol.key.pem) to {@code demo/dana.secret.asc}, mode 0600.
     */
    private static void createOpenPgpKeys(NodeLayout layout, Path demo) throws IOException {
        PgpKeyDirectory pgpKeys = FilePgpKeyDirectory.open(layout.data());
        for (String user : List.of(ALICE, BOB)) {
            PgpManagedKey managed = pgpKeys.addManagedKey(PgpKeys.generate(displayName(user) + " <" + user + ">", 4), null);
            Files.writeString(demo.resolve(user.substring(0, user.indexOf('@')) + ".pgp.asc"), PgpKeys.armored(managed.certificate()));
        }
        OpenPGPKey dana = PgpKeys.generate("Dana <" + DANA + ">", 4);
        pgpKeys.addPublicKey(dana.toCertificate(), PgpPublicKey.Source.IMPORTED);
        Files.writeString(demo.resolve("dana.pgp.asc"), PgpKeys.armored(dana.toCertificate()));
        Path danaSecret = demo.resolve("dana.secret.asc");
        Files.writeString(danaSecret, dana.toAsciiArmoredString());
        Files.setPosixFilePermissions(danaSecret, PosixFilePermissions.fromString("rw-------"));
    }

    private static String displayName(String address) {
        String local = address.substring(0, address.indexOf('@'));
        return Character.toUpperCase(local.charAt(0)) + local.substring(1);
    }

    static boolean exists(Path data) {
        return Files.exists(data.resolve(NodeSettings.FILE_NAME));
    }

    static void create(Path data) throws IOException {
        NodeLayout layout = new NodeLayout(data);
        Files.createDirectories(layout.data());
        Path demo = Files.createDirectories(layout.data().resolve("demo"));

        KeyDirectory keys = FileKeyDirectory.open(layout.keys());
        CertificateIssuer demoCa = CertificateIssuer.newCa("Sealgate Demo CA");
        CertificateIssuer partnerCa = CertificateIssuer.newCa("Partner Example CA");
        // Scoped: the demo CA vouches for our users only, the partner's CA for the partner only.
        keys.addTrustAnchor(new ScopedAnchor(demoCa.certificate(), List.of(DOMAIN)));
        keys.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example")));
        Files.writeString(demo.resolve("demo-ca.pem"), demoCa.certificatePem());
        Files.writeString(demo.resolve("partner-ca.pem"), partnerCa.certificatePem());

        for (String user : List.of(ALICE, BOB)) {
            IssuedIdentity identity = demoCa.issue(IssueRequest.forEmail(user, KeyType.RSA_2048));
            keys.addManagedIdentity(identity.toManagedIdentity(user));
            Files.writeString(demo.resolve(user.substring(0, user.indexOf('@')) + ".pem"), identity.certificatePem());
        }
        IssuedIdentity carol = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.RSA_2048));
        keys.addCertificate(carol.certificate());
        Path carolKey = demo.resolve("carol.key.pem");
        carol.writePem(demo.resolve("carol.pem"), carolKey);
        Files.setPosixFilePermissions(carolKey, PosixFilePermissions.fromString("rw-------"));

        createOpenPgpKeys(layout, demo);

        // No policy.properties: the demo's policy is its cluster configuration in ZooKeeper (DemoCluster), and a
        // file whose edits have no effect must not exist to be edited.
        new NodeSettings("gateway." + DOMAIN, "127.0.0.1", 2525, List.of("127.0.0.1/32"), List.of(DOMAIN),
            Optional.empty(), 51200, true).save(layout.data());
    }
}
