package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.sealgate.keys.KeyDirectoryTestCertificates.Issued;
import org.sealgate.testing.MutableClock;

class FileKeyDirectoryTest {
    private static Issued ca;
    private static Issued alice;

    @TempDir
    Path keysDir;

    @BeforeAll
    static void issueCertificates() {
        ca = KeyDirectoryTestCertificates.selfSignedCa("Test CA");
        alice = KeyDirectoryTestCertificates.userWithAltNames(ca, "Alice@Example.org", "alice.smith@example.org");
    }

    @Test
    void certificateLookupShouldIgnoreCaseAndAngleBrackets() {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(alice.certificate());

        assertThat(directory.certificatesFor("ALICE@example.ORG")).containsExactly(alice.certificate());
        assertThat(directory.certificatesFor(" <alice.smith@EXAMPLE.org> ")).containsExactly(alice.certificate());
        assertThat(directory.certificatesFor("bob@example.org")).isEmpty();
    }

    @Test
    void certificateLookupShouldUseEmailAddressOfSubjectWhenThereIsNoAltName() {
        Issued legacy = KeyDirectoryTestCertificates.userWithEmailInSubject(ca, "Legacy@Example.org");
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(legacy.certificate());

        assertThat(directory.certificatesFor("legacy@example.org")).containsExactly(legacy.certificate());
    }

    @Test
    void addingTheSameCertificateTwiceShouldKeepTheFileUntouched() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(alice.certificate());
        Path file = keysDir.resolve("certs").resolve(Fingerprints.sha256(alice.certificate()) + ".pem");
        Object firstFileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        directory.addCertificate(alice.certificate());

        assertThat(directory.certificatesFor("alice@example.org")).hasSize(1);
        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(firstFileKey);
        assertThat(filesIn(keysDir.resolve("certs")))
                .containsExactly(Fingerprints.sha256(alice.certificate()) + ".pem");
    }

    @Test
    void certificateAddedByAnotherInstanceShouldBecomeVisibleWithoutRestart() throws Exception {
        FileKeyDirectory node = FileKeyDirectory.open(keysDir);
        assertThat(node.certificatesFor("alice@example.org")).isEmpty(); // fills the node's cache

        FileKeyDirectory cli = FileKeyDirectory.open(keysDir);
        cli.addCertificate(alice.certificate());

        assertThat(eventually(() -> node.certificatesFor("alice@example.org"), list -> !list.isEmpty()))
                .containsExactly(alice.certificate());
    }

    @Test
    void cachedLookupShouldNotRelistTheDirectoryWithinTheCheckInterval() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        FileKeyDirectory node = new FileKeyDirectory(keysDir, "pw".toCharArray(), Duration.ofMillis(200), clock);
        assertThat(node.certificatesFor("alice@example.org")).isEmpty();

        new FileKeyDirectory(keysDir, "pw".toCharArray()).addCertificate(alice.certificate());
        clock.advance(Duration.ofMillis(100));
        assertThat(node.certificatesFor("alice@example.org")).isEmpty();

        clock.advance(Duration.ofMillis(100));
        assertThat(node.certificatesFor("alice@example.org")).containsExactly(alice.certificate());
    }

    @Test
    void managedIdentityShouldSurviveThePkcs12RoundTripWithKeyAndChain() {
        ManagedIdentity identity = alice.asIdentity("alice@example.org", ca.certificate());
        FileKeyDirectory.open(keysDir).addManagedIdentity(identity);

        FileKeyDirectory reopened = FileKeyDirectory.open(keysDir);
        ManagedIdentity read = reopened.managedIdentity("ALICE.SMITH@example.org").orElseThrow();

        assertThat(read.address()).isEqualTo("alice@example.org");
        assertThat(read.privateKey().getEncoded()).isEqualTo(identity.privateKey().getEncoded());
        assertThat(read.chain()).containsExactly(alice.certificate(), ca.certificate());
        assertThat(reopened.managedIdentities()).hasSize(1);
        assertThat(reopened.managedIdentity("bob@example.org")).isEmpty();
    }

    @Test
    void managedIdentityShouldPreferTheCertificateThatExpiresLast() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        Issued older = KeyDirectoryTestCertificates.userWithAltNames(ca, "carol@example.org");
        Thread.sleep(1100); // certificate validity has one-second resolution
        Issued newer = KeyDirectoryTestCertificates.userWithAltNames(ca, "carol@example.org");
        directory.addManagedIdentity(newer.asIdentity("carol@example.org"));
        directory.addManagedIdentity(older.asIdentity("carol@example.org"));

        assertThat(directory.managedIdentity("carol@example.org").orElseThrow().certificate())
                .isEqualTo(newer.certificate());
    }

    @Test
    void addManagedIdentityShouldRejectAnAddressTheCertificateDoesNotName() {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);

        assertThatThrownBy(() -> directory.addManagedIdentity(alice.asIdentity("mallory@example.org")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not name mallory@example.org");
    }

    @Test
    void openShouldCreateAnOwnerOnlyPasswordFileOnceAndReuseIt() throws Exception {
        FileKeyDirectory.open(keysDir);
        Path passwordFile = keysDir.resolve(".store-password");
        String first = Files.readString(passwordFile, StandardCharsets.US_ASCII);
        FileKeyDirectory.open(keysDir);

        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(first.trim())).hasSize(32);
        assertThat(Files.readString(passwordFile, StandardCharsets.US_ASCII)).isEqualTo(first);
    }

    @Test
    void openShouldTightenAPasswordFileThatOthersCanRead() throws Exception {
        FileKeyDirectory.open(keysDir);
        Path passwordFile = keysDir.resolve(".store-password");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));

        FileKeyDirectory.open(keysDir);

        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void concurrentLookupsShouldSeeCertificatesAddedMeanwhile() throws Exception {
        FileKeyDirectory node = new FileKeyDirectory(keysDir, "pw".toCharArray(), Duration.ZERO, Clock.systemUTC());
        FileKeyDirectory cli = new FileKeyDirectory(keysDir, "pw".toCharArray());
        List<Issued> partners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            partners.add(KeyDirectoryTestCertificates.userWithAltNames(ca, "partner" + i + "@example.net"));
        }
        ExecutorService readers = Executors.newFixedThreadPool(3);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> lookups = new ArrayList<>();
        for (int reader = 0; reader < 3; reader++) {
            lookups.add(readers.submit(() -> {
                while (writing.get()) {
                    for (int i = 0; i < 20; i++) {
                        assertThat(node.certificatesFor("partner" + i + "@example.net")).hasSizeLessThanOrEqualTo(1);
                    }
                }
            }));
        }

        partners.forEach(partner -> cli.addCertificate(partner.certificate()));
        writing.set(false);
        for (Future<?> lookup : lookups) {
            lookup.get();
        }
        readers.shutdown();

        for (int i = 0; i < 20; i++) {
            assertThat(node.certificatesFor("partner" + i + "@example.net")).containsExactly(partners.get(i).certificate());
        }
    }

    @Test
    void keyFilesAndDirectoriesShouldNotBeReadableByOthers() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(alice.certificate());
        directory.addTrustAnchor(ca.certificate());
        directory.addCrl(KeyDirectoryTestCertificates.emptyCrl(ca));
        directory.addManagedIdentity(alice.asIdentity("alice@example.org"));

        try (Stream<Path> all = Files.walk(keysDir)) {
            for (Path path : all.toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                assertThat(permissions).as(path.toString()).doesNotContain(
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
                        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
            }
        }
        assertThat(Files.getPosixFilePermissions(keysDir.resolve("private")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void privateKeyFileShouldNotContainThePasswordOrAnUnencryptedKey() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        ManagedIdentity identity = alice.asIdentity("alice@example.org");
        directory.addManagedIdentity(identity);

        Path p12 = keysDir.resolve("private").resolve(Fingerprints.sha256(alice.certificate()) + ".p12");
        byte[] stored = Files.readAllBytes(p12);
        byte[] password = Files.readAllBytes(keysDir.resolve(".store-password"));
        assertThat(indexOf(stored, identity.privateKey().getEncoded())).isNegative();
        assertThat(indexOf(stored, password)).isNegative();
        assertThat(directory.toString()).doesNotContain(new String(password, StandardCharsets.US_ASCII).trim());
    }

    @Test
    void identityFileWrittenWithAnotherPasswordShouldBeSkipped() {
        new FileKeyDirectory(keysDir, "one".toCharArray()).addManagedIdentity(alice.asIdentity("alice@example.org"));

        FileKeyDirectory other = new FileKeyDirectory(keysDir, "two".toCharArray());

        assertThat(other.managedIdentities()).isEmpty();
    }

    @Test
    void removeShouldDeleteCertificatesAndPrivateKeysOfTheAddressOnly() {
        Issued bob = KeyDirectoryTestCertificates.userWithAltNames(ca, "bob@example.org");
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(alice.certificate());
        directory.addCertificate(bob.certificate());
        directory.addManagedIdentity(alice.asIdentity("alice@example.org"));
        directory.addTrustAnchor(ca.certificate());

        assertThat(directory.remove("Alice.Smith@example.org")).isEqualTo(2);

        assertThat(directory.certificatesFor("alice@example.org")).isEmpty();
        assertThat(directory.managedIdentity("alice@example.org")).isEmpty();
        assertThat(directory.certificatesFor("bob@example.org")).containsExactly(bob.certificate());
        assertThat(directory.trustAnchors()).containsExactly(ca.certificate());
        assertThat(directory.remove("alice@example.org")).isZero();
    }

    @Test
    void trustAnchorsAndCrlsShouldPersistAcrossInstances() {
        X509CRL crl = KeyDirectoryTestCertificates.emptyCrl(ca);
        FileKeyDirectory writer = FileKeyDirectory.open(keysDir);
        writer.addTrustAnchor(ca.certificate());
        writer.addCrl(crl);

        FileKeyDirectory reader = FileKeyDirectory.open(keysDir);

        assertThat(reader.trustAnchors()).containsExactly(ca.certificate());
        assertThat(reader.crls()).containsExactly(crl);
        assertThat(reader.certificatesFor("test ca")).isEmpty();
    }

    @Test
    void corruptFileInCertsShouldBeSkippedWithoutBreakingLookups() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        directory.addCertificate(alice.certificate());
        Files.writeString(keysDir.resolve("certs").resolve("0000.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Files.write(keysDir.resolve("certs").resolve("0001.pem"), new byte[] {1, 2, 3});

        FileKeyDirectory reader = FileKeyDirectory.open(keysDir);

        assertThat(reader.certificatesFor("alice@example.org")).containsExactly(alice.certificate());
    }

    @Test
    void leftoverTemporaryFilesShouldBeIgnored() throws Exception {
        FileKeyDirectory directory = FileKeyDirectory.open(keysDir);
        Files.writeString(keysDir.resolve("certs").resolve(".tmp-123.pem"), KeyImports.toPem(alice.certificate()));

        assertThat(directory.certificatesFor("alice@example.org")).isEmpty();
    }

    private static List<String> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static <T> T eventually(Supplier<T> probe, Predicate<T> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        T value = probe.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            value = probe.get();
        }
        return value;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
