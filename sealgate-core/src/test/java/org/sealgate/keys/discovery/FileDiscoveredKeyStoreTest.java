package org.sealgate.keys.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.MutableClock;

class FileDiscoveredKeyStoreTest {
    private static final Duration CHECK = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static X509Certificate carolOld;
    private static X509Certificate carolNew;
    private static X509Certificate dave;

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(T0);

    @BeforeAll
    static void issueCertificates() {
        CertificateIssuer ca = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256);
        carolOld = ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificate();
        carolNew = ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificate();
        dave = ca.issue(IssueRequest.forEmail("dave@partner.example", KeyType.EC_P256)).certificate();
    }

    @Test
    void keysForShouldReturnOnlyTheAddressesKeysNewestFirstWhateverTheLetterCase() {
        FileDiscoveredKeyStore store = store();
        store.store(DiscoveredKey.smime("carol@partner.example", "ldap", T0, carolOld));
        store.store(DiscoveredKey.smime("dave@partner.example", "ldap", T0, dave));
        store.store(DiscoveredKey.smime("Carol@Partner.Example", "ldap", T0.plusSeconds(60), carolNew));

        assertThat(store.keysFor("CAROL@partner.example")).extracting(DiscoveredKey::certificate)
            .containsExactly(carolNew, carolOld);
        assertThat(store.keysFor("dave@partner.example")).extracting(DiscoveredKey::certificate)
            .containsExactly(dave);
        assertThat(store.keysFor("erin@partner.example")).isEmpty();
        assertThat(store.all()).hasSize(3).first().extracting(DiscoveredKey::certificate).isEqualTo(carolNew);
    }

    @Test
    void aKeyAnotherProcessStoresShouldBeFoundOnceTheCheckIntervalPassed() {
        FileDiscoveredKeyStore node = store();
        assertThat(node.keysFor("carol@partner.example")).isEmpty();

        new FileDiscoveredKeyStore(directory).store(DiscoveredKey.smime("carol@partner.example", "cli", T0, carolOld));

        assertThat(node.keysFor("carol@partner.example")).as("listed less than a check interval ago").isEmpty();
        clock.advance(CHECK);
        assertThat(node.keysFor("carol@partner.example")).extracting(DiscoveredKey::certificate)
            .containsExactly(carolOld);
    }

    @Test
    void aKeyAnotherProcessRemovedShouldBeGoneOnceTheCheckIntervalPassed() {
        FileDiscoveredKeyStore node = store();
        node.store(DiscoveredKey.smime("carol@partner.example", "ldap", T0, carolOld));
        assertThat(node.keysFor("carol@partner.example")).hasSize(1);

        assertThat(new FileDiscoveredKeyStore(directory).remove("carol@partner.example")).isEqualTo(1);

        clock.advance(CHECK);
        assertThat(node.keysFor("carol@partner.example")).isEmpty();
        assertThat(node.all()).isEmpty();
    }

    @Test
    void removeShouldDeleteKeysStoredByAnotherProcessThatThisOneHadNotListedYet() {
        FileDiscoveredKeyStore node = store();
        assertThat(node.all()).isEmpty();
        new FileDiscoveredKeyStore(directory).store(DiscoveredKey.smime("carol@partner.example", "cli", T0, carolOld));

        assertThat(node.remove("carol@partner.example")).isEqualTo(1);
        assertThat(new FileDiscoveredKeyStore(directory).all()).isEmpty();
    }

    @Test
    void removeFoundBeforeShouldKeepNewerKeys() {
        FileDiscoveredKeyStore store = store();
        store.store(DiscoveredKey.smime("carol@partner.example", "ldap", T0, carolOld));
        store.store(DiscoveredKey.smime("dave@partner.example", "ldap", T0.plusSeconds(3600), dave));

        assertThat(store.removeFoundBefore(T0.plusSeconds(60))).isEqualTo(1);

        assertThat(store.all()).extracting(DiscoveredKey::certificate).containsExactly(dave);
    }

    @Test
    void aDamagedOrOversizedFileShouldBeSkippedAndTheOtherKeysStillFound() throws Exception {
        FileDiscoveredKeyStore store = store();
        store.store(DiscoveredKey.smime("dave@partner.example", "ldap", T0, dave));
        Files.writeString(directory.resolve("smime-damaged.key"),
            "kind=SMIME\naddress=carol@partner.example\nfound=not a time\nkey=AAAA\n", StandardCharsets.UTF_8);
        Files.write(directory.resolve("smime-huge.key"), new byte[600 * 1024]);
        clock.advance(CHECK);

        assertThat(store.keysFor("carol@partner.example")).isEmpty();
        assertThat(store.all()).extracting(DiscoveredKey::certificate).containsExactly(dave);
    }

    @Test
    void aFileNamingItsAddressInAnotherLetterCaseShouldStillBeFound() throws Exception {
        FileDiscoveredKeyStore store = store();
        store.store(DiscoveredKey.smime("carol@partner.example", "ldap", T0, carolOld));
        try (var listing = Files.list(directory)) {
            Path file = listing.filter(f -> f.toString().endsWith(".key")).findFirst().orElseThrow();
            Files.writeString(file, Files.readString(file).replace("address=carol@partner.example",
                "address=Carol@Partner.Example"));
        }
        clock.advance(CHECK);

        assertThat(store.keysFor("carol@partner.example")).extracting(DiscoveredKey::certificate).containsExactly(carolOld);
    }

    @Test
    void storingANewerCopyOfAKeyShouldMergeIntoItsFileAndBeSeenAtOnce() {
        FileDiscoveredKeyStore store = store();
        store.store(DiscoveredKey.smime("carol@partner.example", "ldap", T0, carolOld));
        store.store(DiscoveredKey.smime("carol@partner.example", "wkd", T0.plusSeconds(600), carolOld));

        assertThat(store.keysFor("carol@partner.example")).singleElement()
            .satisfies(key -> assertThat(key.foundAt()).isEqualTo(T0.plusSeconds(600)));
    }

    private FileDiscoveredKeyStore store() {
        return new FileDiscoveredKeyStore(directory, CHECK, clock);
    }
}
