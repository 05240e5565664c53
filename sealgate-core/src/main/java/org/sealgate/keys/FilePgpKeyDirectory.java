package org.sealgate.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyEditor;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;

/**
 * A {@link PgpKeyDirectory} in files beside the S/MIME key directory, shared by the running node and the CLI:
 * <pre>
 *   pgp/public/&lt;FPR&gt;.asc     partner keys the admin imported (trusted)
 *   pgp/harvested/&lt;FPR&gt;.asc  partner keys learnt from verified signed mail (untrusted)
 *   pgp/secret/&lt;FPR&gt;.asc     managed users' secret keys, every secret component protected with the passphrase
 * </pre>
 * The passphrase is 32 random bytes in its own owner-only file (by default {@code DATA/secrets/pgp-keys.passphrase}),
 * created by the first process that needs it. Writes are atomic renames; readers re-list at most every 200 ms.
 */
public final class FilePgpKeyDirectory implements PgpKeyDirectory {
    public static final String PASSPHRASE_FILE = "secrets/pgp-keys.passphrase";

    private final char[] passphrase;
    private final Clock clock;
    private final CachedFolder<OpenPGPCertificate> imported;
    private final CachedFolder<OpenPGPCertificate> harvested;
    private final CachedFolder<OpenPGPKey> secret;
    private final Index<OpenPGPCertificate> importedIndex = new Index<>(c -> c);
    private final Index<OpenPGPCertificate> harvestedIndex = new Index<>(c -> c);
    private final Index<OpenPGPKey> secretIndex = new Index<>(k -> k);

    FilePgpKeyDirectory(Path keysDir, char[] passphrase, Duration checkInterval, Clock clock) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("the OpenPGP key passphrase is empty");
        }
        this.passphrase = passphrase.clone();
        this.clock = clock;
        Path pgp = PrivateFiles.ownerOnlyDirectory(keysDir.resolve("pgp"));
        imported = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(pgp.resolve("public")), ".asc",
            FilePgpKeyDirectory::readCertificate, checkInterval, clock);
        harvested = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(pgp.resolve("harvested")), ".asc",
            FilePgpKeyDirectory::readCertificate, checkInterval, clock);
        secret = new CachedFolder<>(PrivateFiles.ownerOnlyDirectory(pgp.resolve("secret")), ".asc",
            FilePgpKeyDirectory::readSecretKey, checkInterval, clock);
    }

    /**
     * Opens the OpenPGP keys of a node: {@code data/keys/pgp}, passphrase in {@code data/secrets/pgp-keys.passphrase}
     * (created on first use, mode 0600, directory 0700).
     */
    public static FilePgpKeyDirectory open(Path data) {
        return open(data.resolve("keys"), data.resolve(PASSPHRASE_FILE));
    }

    public static FilePgpKeyDirectory open(Path keysDir, Path passphraseFile) {
        PrivateFiles.ownerOnlyDirectory(keysDir);
        char[] secretPassphrase = StorePassword.loadOrCreateFile(passphraseFile);
        try {
            return new FilePgpKeyDirectory(keysDir, secretPassphrase, FileKeyDirectory.DEFAULT_CHECK_INTERVAL, Clock.systemUTC());
        } finally {
            Arrays.fill(secretPassphrase, '\0');
        }
    }

    @Override
    public boolean hasUsableEncryptionKey(String address) {
        Date now = Date.from(clock.instant());
        return publicKeysFor(address).stream()
            .anyMatch(key -> !PgpKeys.encryptionKeys(key.certificate(), now).isEmpty());
    }

    /** Imported keys first, then harvested ones; a fingerprint present in both appears once, as imported. */
    @Override
    public List<PgpPublicKey> publicKeysFor(String address) {
        String wanted = Addresses.normalise(address);
        return merge(importedIndex.lookup(imported.contents(), wanted), harvestedIndex.lookup(harvested.contents(), wanted));
    }

    @Override
    public List<PgpPublicKey> publicKeys() {
        return merge(imported.values(), harvested.values());
    }

    private static List<PgpPublicKey> merge(List<OpenPGPCertificate> trusted, List<OpenPGPCertificate> learnt) {
        List<PgpPublicKey> all = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OpenPGPCertificate certificate : trusted) {
            all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.IMPORTED));
            seen.add(PgpKeys.fingerprint(certificate));
        }
        for (OpenPGPCertificate certificate : learnt) {
            if (!seen.contains(PgpKeys.fingerprint(certificate))) {
                all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.HARVESTED));
            }
        }
        return all;
    }

    /** When several keys name the address (a new key beside the old one), the most recently created. */
    @Override
    public Optional<PgpManagedKey> managedKey(String address) {
        String wanted = Addresses.normalise(address);
        return secretIndex.lookup(secret.contents(), wanted).stream()
            .max(Comparator.comparing(key -> key.getPrimaryKey().getCreationTime()))
            .map(key -> new PgpManagedKey(wanted, key, unlocker()));
    }

    @Override
    public List<PgpManagedKey> managedKeys() {
        return secret.values().stream()
            .map(key -> new PgpManagedKey(PgpKeys.addresses(key).stream().findFirst().orElse("?"), key, unlocker()))
            .toList();
    }

    @Override
    public PgpPublicKey addPublicKey(OpenPGPCertificate certificate, PgpPublicKey.Source source) {
        if (certificate.isSecretKey()) {
            throw new IllegalArgumentException("a secret key is not a partner's public key; import it as a managed key");
        }
        requireAddress(certificate);
        String name = PgpKeys.fingerprint(certificate) + ".asc";
        CachedFolder<OpenPGPCertificate> folder = source == PgpPublicKey.Source.IMPORTED ? imported : harvested;
        Path target = folder.directory().resolve(name);
        boolean alreadyTrusted = source == PgpPublicKey.Source.HARVESTED && Files.exists(imported.directory().resolve(name));
        boolean wouldReplace = source == PgpPublicKey.Source.HARVESTED && !KeyHarvester.conflicts(this, certificate).isEmpty();
        if (!alreadyTrusted && !wouldReplace && (source == PgpPublicKey.Source.IMPORTED || !Files.exists(target))) {
            PrivateFiles.writeAtomically(target, PgpKeys.armored(certificate).getBytes(StandardCharsets.US_ASCII));
            folder.invalidate();
        }
        return new PgpPublicKey(certificate, alreadyTrusted ? PgpPublicKey.Source.IMPORTED : source);
    }

    @Override
    public PgpManagedKey addManagedKey(OpenPGPKey key, char[] currentPassphrase) {
        String address = requireAddress(key);
        OpenPGPKey protectedKey = reprotect(key, currentPassphrase);
        try {
            String armored = protectedKey.toAsciiArmoredString();
            PrivateFiles.writeAtomically(secret.directory().resolve(PgpKeys.fingerprint(key) + ".asc"),
                armored.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the OpenPGP key of " + address, e);
        }
        secret.invalidate();
        return new PgpManagedKey(address, protectedKey, unlocker());
    }

    /** Every secret component re-encrypted under our passphrase; v6 keys get AEAD (RFC 9580 §3.7.2.1) protection. */
    private OpenPGPKey reprotect(OpenPGPKey original, char[] currentPassphrase) {
        char[] old = currentPassphrase == null || currentPassphrase.length == 0 ? null : currentPassphrase;
        try {
            // The editor changes the key object in place: work on a copy, the caller's key stays as it was.
            OpenPGPKey key = (OpenPGPKey) PgpKeys.read(original.getEncoded());
            OpenPGPKeyEditor editor = PgpKeys.api().editKey(key, old);
            boolean aead = key.getPrimaryKey().getVersion() >= 6;
            for (OpenPGPKey.OpenPGPSecretKey component : key.getSecretKeys().values()) {
                if (old != null && !component.isPassphraseCorrect(old)) {
                    throw new IllegalArgumentException("wrong passphrase for the OpenPGP key " + PgpKeys.fingerprint(key));
                }
                editor.changePassphrase(component.getKeyIdentifier(), old, passphrase.clone(), aead);
            }
            return editor.done();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PGPException e) {
            throw new IllegalArgumentException("cannot unlock the OpenPGP key " + PgpKeys.fingerprint(original)
                + (old == null ? " (it is passphrase-protected: give its passphrase)" : " (wrong passphrase?)") + ": " + e.getMessage(), e);
        }
    }

    private KeyPassphraseProvider unlocker() {
        return component -> passphrase.clone();
    }

    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        int removed = 0;
        for (CachedFolder<? extends OpenPGPCertificate> folder : List.of(imported, harvested, secret)) {
            folder.invalidate();
            for (Map.Entry<String, ? extends OpenPGPCertificate> entry : folder.contents().entrySet()) {
                if (PgpKeys.addresses(entry.getValue()).contains(wanted)) {
                    try {
                        removed += Files.deleteIfExists(folder.directory().resolve(entry.getKey())) ? 1 : 0;
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot delete key file " + entry.getKey(), e);
                    }
                }
            }
            folder.invalidate();
        }
        return removed;
    }

    private static String requireAddress(OpenPGPCertificate certificate) {
        return PgpKeys.addresses(certificate).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
            "the OpenPGP key " + PgpKeys.fingerprint(certificate) + " has no valid user ID with an e-mail address"));
    }

    private static OpenPGPCertificate readCertificate(Path file) throws IOException {
        return PgpKeys.read(Files.readAllBytes(file));
    }

    private static OpenPGPKey readSecretKey(Path file) throws IOException {
        OpenPGPCertificate read = PgpKeys.read(Files.readAllBytes(file));
        if (!(read instanceof OpenPGPKey key)) {
            throw new IllegalArgumentException("expected a secret key");
        }
        return key;
    }

    /** Entries by the addresses of their valid user IDs, rebuilt when the folder hands out new contents. */
    private static final class Index<T extends OpenPGPCertificate> {
        private final Function<T, OpenPGPCertificate> certificateOf;
        private Map<String, T> indexed;
        private Map<String, List<T>> byAddress = Map.of();

        Index(Function<T, OpenPGPCertificate> certificateOf) {
            this.certificateOf = certificateOf;
        }

        synchronized List<T> lookup(Map<String, T> contents, String address) {
            if (contents != indexed) {
                Map<String, List<T>> index = new HashMap<>();
                for (T entry : contents.values()) {
                    for (String name : PgpKeys.addresses(certificateOf.apply(entry))) {
                        index.computeIfAbsent(name, ignored -> new ArrayList<>()).add(entry);
                    }
                }
                byAddress = index;
                indexed = contents;
            }
            return List.copyOf(byAddress.getOrDefault(address, List.of()));
        }
    }
}
