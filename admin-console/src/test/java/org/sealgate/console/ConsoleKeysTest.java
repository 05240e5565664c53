package org.sealgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyImports;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.TestPki;

/**
 * Key import and export in a real console over a real ZooKeeper key store: a partner certificate and an OpenPGP
 * public key go in (and are then in ZooKeeper) and come out as downloads with the right content type and file
 * name; private keys, secret OpenPGP keys and oversized pastes are refused and nothing is stored; no import without
 * a session or the session's anti-CSRF value; every import, refusal and export audited with the admin's name.
 */
class ConsoleKeysTest {
    @TempDir
    Path dir;
    private ConsoleFixture console;
    private ConsoleClient client;

    @BeforeEach
    void start() throws Exception {
        console = ConsoleFixture.start(dir);
        client = new ConsoleClient(console.port(), console.tlsKeystore, console.tlsKeystore.resolveSibling("console.p12.password"));
    }

    @AfterEach
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    private String login() throws Exception {
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        return ConsoleClient.csrf(client.get("/keys").body());
    }

    @Test
    void aPartnerCertificateShouldBeImportedIntoZooKeeperAndExportedAsPem() throws Exception {
        String csrf = login();
        X509Certificate alice = TestPki.aliceRsa().certificate();
        String fingerprint = Fingerprints.sha256(alice);

        HttpResponse<String> imported = client.post("/keys/import", Map.of("csrf", csrf, "key", TestPki.aliceRsa().certificatePem()));

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("Imported certificate for alice@").contains(fingerprint);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> console.keys.certificates().contains(alice));
        assertThat(client.get("/keys").body()).contains("/keys/export?sha256=" + fingerprint);

        HttpResponse<String> exported = client.get("/keys/export?sha256=" + fingerprint);
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(KeyFlows.PEM_TYPE));
        assertThat(exported.headers().firstValue("content-disposition"))
            .hasValue("attachment; filename=\"" + fingerprint.substring(0, 16) + ".pem\"");
        assertThat(exported.body()).doesNotContain("PRIVATE");
        assertThat(KeyImports.readCertificates(exported.body().getBytes(StandardCharsets.US_ASCII))).containsExactly(alice);
        assertThat(console.audit()).contains("\"admin\":\"ops\",\"event\":\"key-import\",\"outcome\":\"success\"")
            .contains("\"admin\":\"ops\",\"event\":\"key-export\",\"outcome\":\"success\"");
    }

    @Test
    void anOpenPgpPublicKeyShouldBeImportedAndExportedArmoured() throws Exception {
        String csrf = login();
        OpenPGPKey erin = PgpKeys.generate("Erin <erin@partner.example>", 4);
        String fingerprint = PgpKeys.fingerprint(erin);

        HttpResponse<String> imported = client.post("/keys/import", Map.of("csrf", csrf, "key", PgpKeys.armored(erin.toCertificate())));

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("Imported OpenPGP key for erin@partner.example");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> console.pgpKeys.publicKeys().stream()
            .map(PgpPublicKey::fingerprint).toList().contains(fingerprint));
        HttpResponse<String> exported = client.get("/keys/export-pgp?fingerprint=" + fingerprint);
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(KeyFlows.PGP_TYPE));
        assertThat(exported.headers().firstValue("content-disposition"))
            .hasValue("attachment; filename=\"" + fingerprint.toLowerCase().substring(0, 16) + ".asc\"");
        assertThat(exported.body()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
        List<OpenPGPCertificate> back = PgpKeys.readAll(exported.body().getBytes(StandardCharsets.US_ASCII));
        assertThat(back).singleElement().satisfies(key -> {
            assertThat(PgpKeys.fingerprint(key)).isEqualTo(fingerprint);
            assertThat(key).isNotInstanceOf(OpenPGPKey.class);
        });
    }

    @Test
    void privateKeysSecretKeysAndOversizedPastesShouldBeRefusedAndNothingStored() throws Exception {
        String csrf = login();
        int certificates = console.keys.certificates().size();
        OpenPGPKey secret = PgpKeys.generate("Mallory <mallory@partner.example>", 4);

        for (String key : new String[] {TestPki.bobEc().privateKeyPem(), TestPki.bobEc().certificatePem() + TestPki.bobEc().privateKeyPem(),
            PgpKeys.armored(secret), "not a key at all"}) {
            HttpResponse<String> refused = client.post("/keys/import", Map.of("csrf", csrf, "key", key));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("not imported");
        }
        HttpResponse<String> huge = client.post("/keys/import", Map.of("csrf", csrf, "key", "-----BEGIN CERTIFICATE-----\n"
            + "A".repeat(200 * 1024)));
        assertThat(huge.statusCode()).isEqualTo(413);
        Thread.sleep(500);
        assertThat(console.keys.certificates()).hasSize(certificates);
        assertThat(console.pgpKeys.publicKeys()).extracting(PgpPublicKey::fingerprint).doesNotContain(PgpKeys.fingerprint(secret));
        assertThat(console.audit()).contains("\"event\":\"key-import\",\"outcome\":\"refused\"")
            .doesNotContain("PRIVATE KEY");
    }

    @Test
    void importAndExportShouldNeedASessionAndImportTheSessionsCsrfValue() throws Exception {
        String pem = TestPki.daveEd25519().certificatePem();
        assertThat(client.post("/keys/import", Map.of("csrf", "x", "key", pem)).statusCode()).isEqualTo(403);
        HttpResponse<String> export = client.get("/keys/export?sha256=" + Fingerprints.sha256(TestPki.carolX25519().certificate()));
        assertThat(export.statusCode()).isEqualTo(303);
        assertThat(export.headers().firstValue("location")).hasValue("/login");

        login();
        assertThat(client.post("/keys/import", Map.of("key", pem)).statusCode()).isEqualTo(403);
        assertThat(client.post("/keys/import", Map.of("csrf", "guessed", "key", pem)).statusCode()).isEqualTo(403);
        Thread.sleep(500);
        assertThat(console.keys.certificates()).doesNotContain(TestPki.daveEd25519().certificate());
        assertThat(console.audit()).contains("\"event\":\"csrf-check\",\"outcome\":\"refused\"");
    }
}
