package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.Prerequisites;

class FilePgpKeyDirectoryTest {
    @TempDir
    Path data;

    @Test
    void importedPublicKeyShouldBeFoundCaseInsensitivelyAndBeUsable() {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPKey carol = PgpKeys.generate("Carol <Carol@Partner.Example>", 4);

        directory.addPublicKey(carol.toCertificate(), PgpPublicKey.Source.IMPORTED);

        assertThat(directory.publicKeysFor("carol@partner.example")).singleElement()
            .satisfies(key -> assertThat(key.trusted()).isTrue());
        assertThat(directory.hasUsableEncryptionKey("CAROL@partner.example")).isTrue();
        assertThat(directory.hasUsableEncryptionKey("dave@partner.example")).isFalse();
        assertThat(FilePgpKeyDirectory.open(data).publicKeysFor("carol@partner.example")).hasSize(1);
    }

    @Test
    void harvestedKeyShouldNeverDowngradeNorJoinAnImportedOne() {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPCertificate carol = PgpKeys.generate("Carol <carol@partner.example>", 4).toCertificate();
        OpenPGPCertificate other = PgpKeys.generate("Carol <carol@partner.example>", 4).toCertificate();
        directory.addPublicKey(carol, PgpPublicKey.Source.IMPORTED);

        PgpPublicKey again = directory.addPublicKey(carol, PgpPublicKey.Source.HARVESTED);
        directory.addPublicKey(other, PgpPublicKey.Source.HARVESTED);

        assertThat(again.trusted()).isTrue();
        assertThat(directory.publicKeysFor("carol@partner.example")).extracting(PgpPublicKey::fingerprint)
            .containsExactly(PgpKeys.fingerprint(carol));
    }

    @Test
    void secondHarvestedKeyForAnAddressShouldBeIgnoredAndAnAdminImportShouldStillWork() {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPCertificate first = PgpKeys.generate("Carol <carol@partner.example>", 4).toCertificate();
        OpenPGPCertificate planted = PgpKeys.generate("Carol <CAROL@Partner.Example>", 6).toCertificate();
        OpenPGPCertificate imported = PgpKeys.generate("Carol <carol@partner.example>", 4).toCertificate();

        directory.addPublicKey(first, PgpPublicKey.Source.HARVESTED);
        directory.addPublicKey(planted, PgpPublicKey.Source.HARVESTED);
        assertThat(directory.publicKeysFor("carol@partner.example")).extracting(PgpPublicKey::fingerprint)
            .containsExactly(PgpKeys.fingerprint(first));

        directory.addPublicKey(imported, PgpPublicKey.Source.IMPORTED);
        assertThat(directory.publicKeysFor("Carol@PARTNER.example")).extracting(PgpPublicKey::fingerprint)
            .containsExactly(PgpKeys.fingerprint(imported), PgpKeys.fingerprint(first));
    }

    @Test
    void revokedKeyShouldNotCountAsUsable() throws Exception {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPKey carol = PgpKeys.generate("Carol <carol@partner.example>", 6);
        OpenPGPKey revoked = PgpKeys.api().editKey(carol).revokeKey().done();

        directory.addPublicKey(revoked.toCertificate(), PgpPublicKey.Source.IMPORTED);

        assertThat(directory.hasUsableEncryptionKey("carol@partner.example")).isFalse();
    }

    @Test
    void secretKeyShouldBeStoredProtectedUnderTheNodePassphrase() throws Exception {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPKey alice = PgpKeys.generate("Alice <alice@demo.sealgate.test>", 4);

        directory.addManagedKey(alice, null);

        Path passphrase = data.resolve(FilePgpKeyDirectory.PASSPHRASE_FILE);
        assertThat(Files.getPosixFilePermissions(passphrase)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Path stored;
        try (Stream<Path> files = Files.list(data.resolve("keys/pgp/secret"))) {
            stored = files.filter(file -> file.toString().endsWith(".asc")).findFirst().orElseThrow();
        }
        OpenPGPKey onDisk = (OpenPGPKey) PgpKeys.read(Files.readAllBytes(stored));
        assertThat(onDisk.getSecretKeys().values()).allSatisfy(component -> assertThat(component.isLocked()).isTrue());
        assertThat(onDisk.getPrimarySecretKey().isPassphraseCorrect(new char[0])).isFalse();
        PgpManagedKey found = FilePgpKeyDirectory.open(data).managedKey("ALICE@demo.sealgate.test").orElseThrow();
        assertThat(found.fingerprint()).isEqualTo(PgpKeys.fingerprint(alice));
        assertThat(found.key().getPrimarySecretKey().unlock(found.passphrase())).isNotNull();
        assertThat(found.toString()).doesNotContain(new String(Files.readString(passphrase, StandardCharsets.UTF_8)).trim());
    }

    @Test
    void passphraseProtectedGpgKeyShouldNeedItsPassphrase() {
        Prerequisites.require(OpenPgpTools.gpgAvailable(), "gpg");
        try (OpenPgpTools tools = new OpenPgpTools()) {
            OpenPgpTools.check(tools.gpg("--passphrase", "s3cret", "--quick-gen-key", "Bob <bob@demo.sealgate.test>",
                "future-default", "default", "never"));
            OpenPGPKey bob = (OpenPGPKey) PgpKeys.read(OpenPgpTools.check(tools.gpg("--passphrase", "s3cret", "--armor",
                "--export-secret-keys", "bob@demo.sealgate.test")).stdout());
            FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);

            assertThatThrownBy(() -> directory.addManagedKey(bob, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passphrase");
            directory.addManagedKey(bob, "s3cret".toCharArray());

            assertThat(directory.managedKey("bob@demo.sealgate.test")).isPresent();
            assertThat(directory.managedKeys()).extracting(PgpManagedKey::address).containsExactly("bob@demo.sealgate.test");
        }
    }

    @Test
    void publicKeyWithoutAddressOrSecretKeyAsPartnerKeyShouldBeRefused() {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        OpenPGPKey noAddress = PgpKeys.generate("Just a name", 4);
        OpenPGPKey secret = PgpKeys.generate("Carol <carol@partner.example>", 4);

        assertThatThrownBy(() -> directory.addPublicKey(noAddress.toCertificate(), PgpPublicKey.Source.IMPORTED))
            .hasMessageContaining("e-mail address");
        assertThatThrownBy(() -> directory.addPublicKey(secret, PgpPublicKey.Source.IMPORTED))
            .hasMessageContaining("secret key");
    }

    @Test
    void removeShouldDeleteEveryKeyOfTheAddress() {
        FilePgpKeyDirectory directory = FilePgpKeyDirectory.open(data);
        directory.addPublicKey(PgpKeys.generate("C <carol@partner.example>", 6).toCertificate(), PgpPublicKey.Source.HARVESTED);
        directory.addPublicKey(PgpKeys.generate("C <carol@partner.example>", 4).toCertificate(), PgpPublicKey.Source.IMPORTED);
        directory.addManagedKey(PgpKeys.generate("A <alice@demo.sealgate.test>", 4), null);

        assertThat(directory.remove("carol@partner.example")).isEqualTo(2);
        assertThat(directory.publicKeys()).isEmpty();
        assertThat(directory.managedKeys()).hasSize(1);
        assertThat(List.of(directory.remove("alice@demo.sealgate.test"))).containsExactly(1);
    }
}
