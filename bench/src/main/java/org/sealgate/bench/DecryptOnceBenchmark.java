package org.sealgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;

/**
 * Inbound S/MIME (100 KB, AES-256-GCM, RSA-2048 OAEP) to N managed recipients: decrypted once for all of them
 * ({@code once}: what {@code SmimeDecrypt} does, one content decryption plus one key unwrap per further recipient)
 * next to one decryption per recipient ({@code perRecipient}: what it did before).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class DecryptOnceBenchmark {
    @Param({"1", "10", "50"})
    int recipients;

    private SmimeCrypto crypto;
    private List<ManagedIdentity> keys;
    private MimeMessage encrypted;

    @Setup
    public void setUp() throws Exception {
        crypto = new SmimeCrypto();
        CertificateIssuer ca = CertificateIssuer.newCa("Bench CA");
        keys = new ArrayList<>();
        List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            String address = "user" + i + "@bench.sealgate.test";
            IssuedIdentity identity = ca.issue(IssueRequest.forEmail(address, KeyType.RSA_2048));
            keys.add(identity.toManagedIdentity(address));
            certificates.add(identity.certificate());
        }
        MimeMessage plain = new MimeMessage(Session.getInstance(new Properties()));
        plain.setFrom("partner@partner.example");
        plain.setSubject("benchmark");
        byte[] text = new byte[100 * 1024];
        Random random = new Random(1);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        plain.setText(new String(text, java.nio.charset.StandardCharsets.US_ASCII), "us-ascii");
        plain.saveChanges();
        encrypted = crypto.encrypt(plain, certificates, EncryptionPolicy.DEFAULT);
    }

    @Benchmark
    public MimeMessage once() throws Exception {
        return crypto.decryptForRecipients(encrypted, keys).result().message();
    }

    @Benchmark
    public int perRecipient() throws Exception {
        int decrypted = 0;
        for (ManagedIdentity key : keys) {
            decrypted += crypto.decrypt(encrypted, List.of(key)).message().getSize() > 0 ? 1 : 0;
        }
        return decrypted;
    }
}
