package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.keys.ZkDiscoveredKeyStore;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.zk.store.ConfigStoreException;

/**
 * {@code sealgate keys ...}: manages the key directory. Safe while nodes run: they pick up changes without
 * restart. Which directory: the cluster's in ZooKeeper with {@code --zk CONNECT --admin-credentials FILE}, or with
 * {@code --data DIR} when that node keeps its keys in ZooKeeper ({@code zk.connect}, {@code zk.keys} not
 * {@code files}; the demo does); otherwise the node's {@code DATA/keys}. Managed keys in ZooKeeper are sealed
 * with the cluster master key: {@code --master-key FILE}, default the data directory's
 * {@code secrets/cluster-master.key}.
 */
public final class KeysCommand {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private KeysCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = new Arguments(args, Set.of("data", "password-file", "domains", ZkTarget.ZK, ZkTarget.ADMIN_CREDENTIALS, ZkTarget.ZK_TLS,
            "master-key"));
        String action = arguments.positional(0,
            "keys action (import-cert, import-ca, import-crl, import-p12, import-pgp, export-cert, export-pgp, list, remove)");
        if (!usesZooKeeper(arguments)) {
            return run(action, arguments, FileKeyDirectory.open(arguments.dataDirectory().resolve("keys")),
                FilePgpKeyDirectory.open(arguments.dataDirectory()), discovered(arguments), true, out);
        }
        Optional<ClusterMasterKey> masterKey = masterKey(arguments);
        try (AdminSession session = AdminSession.open(ZkTarget.from(arguments));
             ZkKeyDirectory keys = session.keys(masterKey);
             ZkPgpKeyDirectory pgpKeys = session.pgpKeys(masterKey);
             ZkDiscoveredKeyStore discovered = session.discoveredKeys()) {
            // In a cluster the nodes share what they discovered in ZooKeeper (not in each node's DATA/keys).
            return run(action, arguments, keys, pgpKeys, discovered, masterKey.isPresent(), out);
        } catch (ConfigStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static boolean usesZooKeeper(Arguments arguments) throws IOException {
        if (arguments.option(ZkTarget.ZK).isPresent()) {
            return true;
        }
        Path data = arguments.dataDirectory();
        return Files.exists(data.resolve(NodeSettings.FILE_NAME))
            && ClusterSettings.load(data).map(ClusterSettings::keysInZooKeeper).orElse(false);
    }

    /**
     * {@code --domains a.example,*.b.example}: the domains the CA may vouch for. Without it the anchor is unscoped:
     * it vouches for any domain except the managed ones.
     */
    private static List<String> domains(Arguments arguments) {
        Optional<String> given = arguments.option("domains");
        try {
            return given.map(ScopedAnchor::parseDomains).orElse(List.of());
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException("--domains: " + e.getMessage());
        }
    }

    private static Optional<ClusterMasterKey> masterKey(Arguments arguments) throws IOException {
        if (arguments.option("master-key").isPresent()) {
            return Optional.of(ClusterMasterKey.fromFile(Paths.get(arguments.option("master-key").get())));
        }
        if (arguments.option(ZkTarget.ZK).isEmpty()) {
            Path file = ClusterSettings.load(arguments.dataDirectory()).orElseThrow().masterKey();
            if (Files.exists(file)) {
                return Optional.of(ClusterMasterKey.fromFile(file));
            }
        }
        return Optional.empty();
    }

    private static int run(String action, Arguments arguments, KeyDirectory keys, PgpKeyDirectory pgpKeys,
                           DiscoveredKeyStore discovered, boolean managedKeysReadable, PrintStream out) throws IOException {
        switch (action) {
            case "import-cert" -> {
                for (X509Certificate certificate : KeyImports.readCertificates(read(arguments, "certificate file"))) {
                    List<String> addresses = SmimeCrypto.emailAddresses(certificate);
                    if (addresses.isEmpty()) {
                        throw new Arguments.UsageException("certificate " + certificate.getSubjectX500Principal()
                            + " names no e-mail address; it cannot be used for anyone");
                    }
                    keys.addCertificate(certificate);
                    out.println("imported certificate for " + String.join(", ", addresses) + "  " + Fingerprints.sha256(certificate));
                }
            }
            case "import-ca" -> {
                List<String> domains = domains(arguments);
                for (X509Certificate certificate : KeyImports.readCertificates(read(arguments, "CA certificate file"))) {
                    ScopedAnchor anchor = new ScopedAnchor(certificate, domains);
                    keys.addTrustAnchor(anchor);
                    out.println("trusted " + anchor + "  " + Fingerprints.sha256(certificate));
                }
            }
            case "import-crl" -> {
                for (X509CRL crl : KeyImports.readCrls(read(arguments, "CRL file"))) {
                    keys.addCrl(crl);
                    out.println("imported CRL of " + crl.getIssuerX500Principal().getName() + " ("
                        + (crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size()) + " revoked)");
                }
            }
            case "import-p12" -> {
                Path passwordFile = Paths.get(arguments.option("password-file")
                    .orElseThrow(() -> new Arguments.UsageException("import-p12 needs --password-file FILE")));
                char[] password = readPassword(passwordFile);
                try {
                    for (ManagedIdentity identity : KeyImports.readPkcs12(read(arguments, "PKCS#12 file"), password)) {
                        keys.addManagedIdentity(identity);
                        out.println("imported managed key for " + identity.address() + "  " + Fingerprints.sha256(identity.certificate()));
                    }
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            case "export-cert" -> {
                String address = arguments.positional(1, "address");
                ManagedIdentity identity = keys.managedIdentity(address)
                    .orElseThrow(() -> new Arguments.UsageException("no managed key for " + address));
                out.print(KeyImports.toPem(identity.certificate()));
            }
            case "import-pgp" -> importPgp(pgpKeys, read(arguments, "OpenPGP key file"),
                arguments.option("password-file").map(Paths::get), out);
            case "export-pgp" -> {
                String address = arguments.positional(1, "address");
                PgpManagedKey key = pgpKeys.managedKey(address)
                    .orElseThrow(() -> new Arguments.UsageException("no managed OpenPGP key for " + address));
                out.print(PgpKeys.armored(key.certificate()));
            }
            case "list" -> {
                if (!managedKeysReadable) {
                    out.println("(managed keys in ZooKeeper are sealed; give --master-key FILE to list them)");
                }
                list(keys, out);
                listPgp(pgpKeys, out);
                listDiscovered(discovered, out);
            }
            case "remove" -> {
                String address = arguments.positional(1, "address");
                out.println("removed " + (keys.remove(address) + pgpKeys.remove(address)
                    + discovered.remove(address)) + " entries for " + address);
            }
            default -> throw new Arguments.UsageException("unknown keys action '" + action + "'");
        }
        return 0;
    }

    private static void list(KeyDirectory keys, PrintStream out) {
        out.println("Managed keys (this gateway signs and decrypts for them):");
        for (ManagedIdentity identity : keys.managedIdentities()) {
            out.println("  " + identity.address() + "  until " + DAY.format(identity.certificate().getNotAfter().toInstant())
                + "  " + Fingerprints.sha256(identity.certificate()));
        }
        out.println("Partner certificates (this gateway encrypts to them):");
        for (X509Certificate certificate : keys.certificates()) {
            out.println("  " + String.join(",", SmimeCrypto.emailAddresses(certificate)) + "  until "
                + DAY.format(certificate.getNotAfter().toInstant()) + "  " + Fingerprints.sha256(certificate));
        }
        out.println("Trust anchors:");
        for (ScopedAnchor anchor : keys.scopedTrustAnchors()) {
            out.println("  " + anchor + "  " + Fingerprints.sha256(anchor.certificate()));
        }
        out.println("CRLs:");
        for (X509CRL crl : keys.crls()) {
            out.println("  " + crl.getIssuerX500Principal().getName() + "  next update "
                + (crl.getNextUpdate() == null ? "-" : DAY.format(crl.getNextUpdate().toInstant())));
        }
    }

    /** Public keys become trusted partner keys; secret keys become managed users' keys (re-protected here). */
    private static void importPgp(PgpKeyDirectory pgpKeys, byte[] data, Optional<Path> passwordFile, PrintStream out)
            throws IOException {
        List<OpenPGPCertificate> read;
        try {
            read = PgpKeys.readAll(data);
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException(e.getMessage());
        }
        char[] passphrase = passwordFile.isPresent() ? readPassword(passwordFile.get()) : null;
        try {
            for (OpenPGPCertificate certificate : read) {
                if (PgpKeys.addresses(certificate).isEmpty()) {
                    throw new Arguments.UsageException("OpenPGP key " + PgpKeys.fingerprint(certificate)
                        + " has no valid user ID with an e-mail address; it cannot be used for anyone");
                }
                if (certificate instanceof OpenPGPKey key) {
                    PgpManagedKey managed = pgpKeys.addManagedKey(key, passphrase);
                    out.println("imported managed OpenPGP key for " + String.join(", ", managed.addresses()) + "  v"
                        + key.getPrimaryKey().getVersion() + "  " + managed.fingerprint());
                } else {
                    PgpPublicKey stored = pgpKeys.addPublicKey(certificate, PgpPublicKey.Source.IMPORTED);
                    String usable = PgpKeys.whyNotUsableForEncryption(certificate, new Date());
                    out.println("imported OpenPGP key for " + String.join(", ", stored.addresses()) + "  v"
                        + certificate.getPrimaryKey().getVersion() + "  " + stored.fingerprint()
                        + (usable.isEmpty() ? "" : "  (not usable for encryption: " + usable + ")"));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException(e.getMessage());
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static void listPgp(PgpKeyDirectory pgpKeys, PrintStream out) {
        Date now = new Date();
        out.println("Managed OpenPGP keys (this gateway signs and decrypts for them):");
        for (PgpManagedKey key : pgpKeys.managedKeys()) {
            out.println("  " + String.join(",", key.addresses()) + "  v" + key.key().getPrimaryKey().getVersion()
                + "  " + key.fingerprint());
        }
        out.println("Partner OpenPGP keys (this gateway encrypts to them):");
        for (PgpPublicKey key : pgpKeys.publicKeys()) {
            String usable = PgpKeys.whyNotUsableForEncryption(key.certificate(), now);
            out.println("  " + String.join(",", key.addresses()) + "  v" + key.certificate().getPrimaryKey().getVersion()
                + "  " + (key.trusted() ? "imported" : "harvested") + "  " + key.fingerprint()
                + (usable.isEmpty() ? "" : "  NOT USABLE: " + usable));
        }
    }

    /** A standalone node's discovered keys ({@code <data>/keys/discovered}). */
    private static DiscoveredKeyStore discovered(Arguments arguments) {
        return new FileDiscoveredKeyStore(arguments.dataDirectory().resolve("keys").resolve("discovered"));
    }

    /** Each discovered key with its source and when it was found; re-validated whenever it is used. */
    private static void listDiscovered(DiscoveredKeyStore discovered, PrintStream out) {
        Date now = new Date();
        out.println("Discovered keys (used only when no imported key is usable; checked again at each use):");
        for (DiscoveredKey key : discovered.all()) {
            String details;
            if (key.kind() == DiscoveredKey.Kind.SMIME) {
                details = "S/MIME  until " + DAY.format(key.certificate().getNotAfter().toInstant()) + "  "
                    + Fingerprints.sha256(key.certificate());
            } else {
                String usable = PgpKeys.whyNotUsableForEncryption(key.pgpCertificate(), now);
                details = "OpenPGP v" + key.pgpCertificate().getPrimaryKey().getVersion() + "  "
                    + PgpKeys.fingerprint(key.pgpCertificate()) + (usable.isEmpty() ? "" : "  NOT USABLE: " + usable);
            }
            out.println("  " + key.address() + "  " + details + "  source " + key.source() + "  found "
                + key.foundAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }

    private static byte[] read(Arguments arguments, String what) throws IOException {
        return Files.readAllBytes(Paths.get(arguments.positional(1, what)));
    }

    /** The password file's first line; a trailing newline from {@code echo} is not part of the password. */
    private static char[] readPassword(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
    }
}
