package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpDecryptionResult;
import org.sealgate.crypto.PgpEncryptionPolicy;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.SmtpSink;

/**
 * OpenPGP keys that arrive with mail, through a real node over SMTP. An outside sender signs a mail with a key of
 * their own that names the victim's address and puts it in an Autocrypt header; the gateway verifies it (valid,
 * untrusted) and keeps the key as harvested. Later mail to the victim must not be encrypted to that key unless the
 * victim's domain says {@code use-harvested-keys = true}; a second planted key never replaces the first; every
 * key-store change is an audit event. Addresses in keys and envelopes match whatever their letter case.
 */
class KeysFromMailTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;          // managed, has a key
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;      // managed sender of outbound mail
    private static final String VICTIM = "victim@partner.example";              // domain: harvested keys ignored
    private static final String FRIEND = "friend@trusting.example";             // domain: harvested keys used
    private static final String RON = "Ron@PGP.example";                        // imported key, mixed case

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static FilePgpKeyDirectory outside;   // the outside world's secret keys, not the gateway's
    static OpenPGPKey bobKey;
    static final PgpCrypto CRYPTO = new PgpCrypto();

    @BeforeAll
    static void start() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()),
            "default.encrypt = opportunistic\ndefault.sign = false\ndomain.trusting.example.use-harvested-keys = true\n",
            List.of(Gateway.MANAGED_DOMAIN));
        bobKey = PgpKeys.generate("Bob <" + BOB + ">", 4);
        gateway.pgpKeys().addManagedKey(bobKey, null);
        outside = FilePgpKeyDirectory.open(work.resolve("outside"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** A key pair of someone outside, usable for signing from this test. */
    private static PgpManagedKey outsideKey(String userId) {
        OpenPGPKey key = PgpKeys.generate(userId, 4);
        return outside.addManagedKey(key, null);
    }

    /**
     * Mail from {@code from} to Bob, encrypted to Bob and signed with {@code signer}, its certificate in an
     * Autocrypt header: what a client such as Thunderbird sends, and what an attacker can forge for any address.
     */
    private static byte[] signedWithKeyInAutocrypt(String from, PgpManagedKey signer, String id) throws Exception {
        MimeMessage plain = TestMessages.parse(TestMails.plain(from, List.of(BOB), "Hello", id, "new key, write to me"));
        MimeMessage encrypted = CRYPTO.encrypt(plain, List.of(bobKey.toCertificate()), Optional.of(signer),
            PgpEncryptionPolicy.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encrypted.writeTo(out);
        String keydata = Base64.getEncoder().encodeToString(signer.certificate().getEncoded());
        return ("Autocrypt: addr=" + from + "; keydata=" + keydata + "\r\n" + out.toString(StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(String from, String to, byte[] message) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), message).code()).isEqualTo(250);
    }

    private static Map<String, Object> awaitKeyEvent(String outcome, String fingerprint) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
            .pollInterval(java.time.Duration.ofMillis(200))
            .until(() -> gateway.auditEvents().stream()
                .filter(e -> outcome.equals(e.get("outcome")) && String.valueOf(e.get("recipients")).contains(fingerprint))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    @Test
    void plantedKeyShouldNeverBeEncryptedToAndASecondOneShouldNotReplaceIt() throws Exception {
        PgpManagedKey planted = outsideKey("Victim <" + VICTIM + ">");
        send(VICTIM, BOB, signedWithKeyInAutocrypt(VICTIM, planted, "plant-1"));
        MimeMessage delivered = receiver.awaitOne(BOB, "plant-1");
        assertThat(delivered.getHeader("X-Sealgate-Signature", null)).contains("valid").contains("trust=untrusted");

        Map<String, Object> stored = awaitKeyEvent("key-harvested", planted.fingerprint());
        assertThat(String.valueOf(stored.get("recipients"))).contains(VICTIM).contains("pgp:" + planted.fingerprint())
            .contains("key-store:pgp-signer-key-with-mail");
        assertThat(stored.get("messageId")).asString().contains("plant-1");
        assertThat(gateway.pgpKeys().publicKeysFor(VICTIM)).extracting(PgpPublicKey::fingerprint)
            .containsExactly(planted.fingerprint());

        // The attack: mail from Alice to the victim must not be readable by whoever holds the planted key.
        send(ALICE, VICTIM, TestMails.plain(ALICE, List.of(VICTIM), "Figures", "to-victim", "the quarterly figures"));
        MimeMessage toVictim = receiver.awaitOne(VICTIM, "to-victim");
        assertThat(toVictim.getContentType()).doesNotContain("multipart/encrypted");
        assertThat(PgpCrypto.isEncrypted(toVictim)).isFalse();
        assertThat(SmtpSink.text(toVictim)).contains("the quarterly figures");
        assertThat(String.valueOf(gateway.awaitAuditEvent("to-victim").get("recipients")))
            .contains("only OpenPGP keys that arrived with mail").contains("use-harvested-keys is off");

        // A second key for the same address, planted the same way, is ignored and the refusal audited.
        PgpManagedKey second = outsideKey("Victim <" + VICTIM.toUpperCase(java.util.Locale.ROOT) + ">");
        send(VICTIM, BOB, signedWithKeyInAutocrypt(VICTIM, second, "plant-2"));
        receiver.awaitOne(BOB, "plant-2");
        Map<String, Object> refused = awaitKeyEvent("key-harvest-refused", second.fingerprint());
        assertThat(String.valueOf(refused.get("reason"))).contains(planted.fingerprint()).contains("never replaces");
        assertThat(gateway.pgpKeys().publicKeysFor(VICTIM)).extracting(PgpPublicKey::fingerprint)
            .containsExactly(planted.fingerprint());
    }

    @Test
    void harvestedKeyShouldBeUsedWhereTheDomainPolicyAllowsIt() throws Exception {
        PgpManagedKey friend = outsideKey("Friend <" + FRIEND + ">");
        send(FRIEND, BOB, signedWithKeyInAutocrypt(FRIEND, friend, "friend-key"));
        receiver.awaitOne(BOB, "friend-key");
        awaitKeyEvent("key-harvested", friend.fingerprint());

        send(ALICE, FRIEND, TestMails.plain(ALICE, List.of(FRIEND), "Figures", "to-friend", "figures for a friend"));
        MimeMessage toFriend = receiver.awaitOne(FRIEND, "to-friend");
        assertThat(toFriend.getContentType()).contains("multipart/encrypted");
        assertThat(SmtpSink.text(toFriend)).doesNotContain("figures for a friend");
        PgpDecryptionResult decrypted = CRYPTO.decrypt(toFriend, List.of(friend), PgpVerificationPolicy.strict(List.of()));
        assertThat(SmtpSink.text(decrypted.message())).contains("figures for a friend");
    }

    @Test
    void importedKeyWithMixedCaseUserIdShouldBeFoundForAnyCaseOfTheAddress() throws Exception {
        PgpManagedKey ron = outsideKey("Ron <" + RON + ">");
        gateway.pgpKeys().addPublicKey(ron.certificate(), PgpPublicKey.Source.IMPORTED);

        String lower = RON.toLowerCase(java.util.Locale.ROOT);
        send(ALICE, "RON@pgp.EXAMPLE", TestMails.plain(ALICE, List.of(lower), "For Ron", "to-ron", "hello Ron"));
        MimeMessage toRon = receiver.awaitOne(lower, "to-ron");
        assertThat(toRon.getContentType()).contains("multipart/encrypted");
        PgpDecryptionResult decrypted = CRYPTO.decrypt(toRon, List.of(ron), PgpVerificationPolicy.strict(List.of()));
        assertThat(SmtpSink.text(decrypted.message())).contains("hello Ron");
        assertThat(gateway.pgpKeys().publicKeysFor(lower)).extracting(PgpPublicKey::fingerprint)
            .containsExactly(ron.fingerprint());
    }
}
