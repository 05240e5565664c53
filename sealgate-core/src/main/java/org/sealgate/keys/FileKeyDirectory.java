package org.sealgate.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link KeyDirectory} in plain files under one directory (a node's {@code <data>/keys}), shared by the running
 * node and the CLI:
 * <pre>
 *   certs/&lt;sha256&gt;.pem    partner certificates
 *   ca/&lt;sha256&gt;.pem       trust anchors, each with its scope line ({@link ScopedAnchor})
 *   crl/&lt;sha256&gt;.pem      CRLs (hash of the CRL)
 *   private/&lt;sha256&gt;.p12  managed identities, PKCS#12 protected by the store password
 *   .store-password         that password (see {@link #open(Path)})
 * </pre>
 * Every file is written to a temporary file and renamed, so readers in other processes never see partial files;
 * each reader re-lists a directory at most every 200 ms and parses only files that changed.
 */
public final class FileKeyDirectory implements KeyDirectory {
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(200);

    private final char[] storePassword;
    private final CachedFolder<X509Certificate> certificates;
    private final CachedFolder<ScopedAnchor> trustAnchors;
    private final CachedFolder<X509CRL> crls;
    private final CachedFolder<ManagedIdentity> identities;
    private final AddressIndex<X509Certificate> certificatesByAddress = new AddressIndex<>(certificate -> certificate);
    private final AddressIndex<ManagedIdentity> identitiesByAddress = new AddressIndex<>(ManagedIdentity::certificate);

    public FileKeyDirectory(Path keysDir, char[] storePassword) {
        this(keysDir, storePassword, DEFAULT_CHECK_INTERVAL, Clock.systemUTC());
    }

    FileKeyDirectory(Path keysDir, char[] storePassword, Duration checkInterval, Clock clock) {
        if (storePassword == null || storePassword.length == 0) {
            throw new IllegalArgumentException("the store password is empty");
        }
        this.storePassword = storePassword.clone();
        PrivateFiles.ownerOnlyDirectory(keysDir);
        this.certificates = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(keysDir.resolve("certs")), ".pem",
                FileKeyDirectory::readSingleCertificate, checkInterval, clock);
        this.trustAnchors = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(keysDir.resolve("ca")), ".pem",
                file -> ScopedAnchor.read(Files.readAllBytes(file)), checkInterval, clock);
        this.crls = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(keysDir.resolve("crl")), ".pem",
                FileKeyDirectory::readSingleCrl, checkInterval, clock);
        this.identities = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(keysDir.resolve("private")), ".p12",
                this::readIdentity, checkInterval, clock);
    }

    /**
     * Opens the key directory with its own store password, creating {@code keysDir/.store-password} (32 random
     * bytes, Base64, mode 0600) on first use. Processes sharing the directory thus share the password without
     * configuration.
     */
    public static FileKeyDirectory open(Path keysDir) {
        PrivateFiles.ownerOnlyDirectory(keysDir);
        char[] password = StorePassword.loadOrCreate(keysDir);
        try {
            return new FileKeyDirectory(keysDir, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public List<X509Certificate> certificatesFor(String address) {
        return certificatesByAddress.lookup(certificates.contents(), address);
    }

    /**
     * The identity whose certificate names the address; when several do (a renewed key next to the old one), the
     * one whose certificate expires last, since that is the one senders will be given from now on.
     */
    @Override
    public Optional<ManagedIdentity> managedIdentity(String address) {
        return identitiesByAddress.lookup(identities.contents(), address).stream()
                .max(Comparator.comparing(identity -> identity.certificate().getNotAfter()));
    }

    @Override
    public List<X509Certificate> certificates() {
        return certificates.values();
    }

    @Override
    public List<ManagedIdentity> managedIdentities() {
        return identities.values();
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return trustAnchors.values().stream().map(ScopedAnchor::certificate).toList();
    }

    @Override
    public List<ScopedAnchor> scopedTrustAnchors() {
        return trustAnchors.values();
    }

    @Override
    public List<X509CRL> crls() {
        return crls.values();
    }

    @Override
    public void addCertificate(X509Certificate certificate) {
        writeCertificate(certificates, certificate);
    }

    @Override
    public void addTrustAnchor(X509Certificate certificate) {
        writeUnlessPresent(trustAnchors, Fingerprints.sha256(certificate) + ".pem", KeyImports.toPem(certificate));
    }

    @Override
    public void addTrustAnchor(ScopedAnchor anchor) {
        PrivateFiles.writeAtomically(trustAnchors.directory().resolve(Fingerprints.sha256(anchor.certificate()) + ".pem"),
                anchor.encoded());
        trustAnchors.invalidate();
    }

    @Override
    public void addCrl(X509CRL crl) {
        writeUnlessPresent(crls, sha256(encoded(crl)) + ".pem", KeyImports.toPem(crl));
    }

    /**
     * Stores the identity under its certificate's fingerprint.
     *
     * @throws IllegalArgumentException when the certificate does not name the identity's address, because the
     *                                  identity could then never be found by that address
     */
    @Override
    public void addManagedIdentity(ManagedIdentity identity) {
        if (!CertificateAddresses.of(identity.certificate()).contains(identity.address())) {
            throw new IllegalArgumentException("the certificate of " + identity + " does not name " + identity.address());
        }
        String name = Fingerprints.sha256(identity.certificate()) + ".p12";
        PrivateFiles.writeAtomically(identities.directory().resolve(name), KeyImports.writePkcs12(identity, storePassword));
        identities.invalidate();
    }

    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        // Look at the directory as it is now, not as cached: the CLI removes what another process just added.
        certificates.invalidate();
        identities.invalidate();
        int removed = 0;
        for (Map.Entry<String, X509Certificate> entry : certificates.contents().entrySet()) {
            if (CertificateAddresses.of(entry.getValue()).contains(wanted)) {
                removed += delete(certificates, entry.getKey());
            }
        }
        for (Map.Entry<String, ManagedIdentity> entry : identities.contents().entrySet()) {
            if (CertificateAddresses.of(entry.getValue().certificate()).contains(wanted)) {
                removed += delete(identities, entry.getKey());
            }
        }
        certificates.invalidate();
        identities.invalidate();
        return removed;
    }

    private static void writeCertificate(CachedFolder<X509Certificate> folder, X509Certificate certificate) {
        writeUnlessPresent(folder, Fingerprints.sha256(certificate) + ".pem", KeyImports.toPem(certificate));
    }

    /**
     * The name is the content's hash, so an existing file already holds this content. Not rewriting it matters for
     * certificates harvested from every signed mail: a rewrite would make every node re-read the folder.
     */
    private static void writeUnlessPresent(CachedFolder<?> folder, String name, String pem) {
        Path target = folder.directory().resolve(name);
        if (!Files.exists(target)) {
            PrivateFiles.writeAtomically(target, pem.getBytes(StandardCharsets.US_ASCII));
            folder.invalidate();
        }
    }

    private static int delete(CachedFolder<?> folder, String fileName) {
        try {
            return Files.deleteIfExists(folder.directory().resolve(fileName)) ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete key file " + fileName, e);
        }
    }

    private static X509Certificate readSingleCertificate(Path file) throws IOException {
        List<X509Certificate> read = KeyImports.readCertificates(Files.readAllBytes(file));
        if (read.size() != 1) {
            throw new IllegalArgumentException("expected one certificate, found " + read.size());
        }
        return read.get(0);
    }

    private static X509CRL readSingleCrl(Path file) throws IOException {
        List<X509CRL> read = KeyImports.readCrls(Files.readAllBytes(file));
        if (read.size() != 1) {
            throw new IllegalArgumentException("expected one CRL, found " + read.size());
        }
        return read.get(0);
    }

    private ManagedIdentity readIdentity(Path file) throws IOException {
        List<ManagedIdentity> read = KeyImports.readPkcs12(Files.readAllBytes(file), storePassword);
        if (read.size() != 1) {
            throw new IllegalArgumentException("expected one key entry, found " + read.size());
        }
        return read.get(0);
    }

    private static byte[] encoded(X509CRL crl) {
        try {
            return crl.getEncoded();
        } catch (CRLException e) {
            throw new IllegalArgumentException("cannot encode CRL", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
