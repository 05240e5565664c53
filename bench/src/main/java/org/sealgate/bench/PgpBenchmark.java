package org.sealgate.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Provider;
import java.security.Security;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
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
import org.sealgate.crypto.HeaderProtection;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpEncryptionPolicy;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;

/**
 * The OpenPGP facade next to raw Bouncy Castle (its BcPGP builders: pure-Java AES, the way BC's examples do it)
 * doing the same cryptographic work: a v4 X25519 recipient (as GnuPG 2.2 reads it), SEIPDv1 with MDC and
 * AES-256, no compression, ASCII armor on both sides. The facade adds the MIME work (canonical entity, PGP/MIME
 * wrapping, parsing the result), so it cannot be free; what the JDK's AES buys shows at 1 MB. The rawJdk
 * methods are the same raw code with BC's JCE operators on SunJCE for the symmetric part. On a shared machine
 * {@link PgpAlternation} gives steadier ratios than JMH's separate measurements.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PgpBenchmark {
    private static final String SENDER = "alice@bench.sealgate.test";
    private static final String RECIPIENT = "bob@partner.test";
    private static final Provider SUN_JCE = Security.getProvider("SunJCE");

    /** Attachment size in bytes. */
    @Param({"102400", "1048576"})
    int size;

    private PgpCrypto crypto;
    private OpenPGPCertificate bobCertificate;
    private PgpManagedKey bobKey;
    private PgpEncryptionPolicy policy;
    private PGPPublicKey rawRecipient;
    private PGPPrivateKey rawPrivate;
    private MimeMessage plain;
    private MimeMessage encrypted;
    private byte[] entity;
    private byte[] rawEncrypted;

    @Setup
    public void setUp() throws Exception {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        crypto = new PgpCrypto();
        OpenPGPKey bob = PgpKeys.generate("Bob <" + RECIPIENT + ">", 4);
        bobCertificate = bob.toCertificate();
        bobKey = new PgpManagedKey(RECIPIENT, bob, (KeyPassphraseProvider) component -> null);
        // No header protection: the raw side protects the bare entity too.
        policy = PgpEncryptionPolicy.DEFAULT.withHeaders(HeaderProtection.OFF);
        OpenPGPCertificate.OpenPGPComponentKey encryptionKey = bobCertificate.getEncryptionKeys(new Date()).get(0);
        rawRecipient = encryptionKey.getPGPPublicKey();
        rawPrivate = bob.getSecretKey(encryptionKey).unlock().getKeyPair().getPrivateKey();
        plain = BenchMessages.message(SENDER, RECIPIENT, size);
        encrypted = facadeEncrypt();
        entity = BenchMessages.contentEntity(plain);
        rawEncrypted = rawEncrypt();
    }

    @Benchmark
    public MimeMessage facadeEncrypt() throws Exception {
        return crypto.encrypt(plain, List.of(bobCertificate), Optional.empty(), policy);
    }

    @Benchmark
    public byte[] rawEncrypt() throws Exception {
        return rawEncrypt(new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256));
    }

    /** Raw Bouncy Castle with its JCE operator on SunJCE for the data: the most the JDK's AES can give. */
    @Benchmark
    public byte[] rawJdkEncrypt() throws Exception {
        return rawEncrypt(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setProvider(SUN_JCE));
    }

    private byte[] rawEncrypt(PGPDataEncryptorBuilder data) throws Exception {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
            data.setWithIntegrityPacket(true));
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(rawRecipient));
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.length * 4 / 3 + 4096);
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out);
             OutputStream encrypting = generator.open(armor, new byte[1 << 16]);
             OutputStream literal = new PGPLiteralDataGenerator().open(encrypting, PGPLiteralData.BINARY, "", entity.length, new Date())) {
            literal.write(entity);
        }
        return out.toByteArray();
    }

    @Benchmark
    public MimeMessage facadeDecrypt() throws Exception {
        return crypto.decrypt(encrypted, List.of(bobKey), PgpVerificationPolicy.strict(List.of())).message();
    }

    @Benchmark
    public byte[] rawDecrypt() throws Exception {
        return rawDecrypt(new BcPublicKeyDataDecryptorFactory(rawPrivate));
    }

    /** Raw Bouncy Castle, the data decrypted by its JCE operator on SunJCE (the session key still by BC). */
    @Benchmark
    public byte[] rawJdkDecrypt() throws Exception {
        return rawDecrypt(new JcePublicKeyDataDecryptorFactoryBuilder().setProvider(BouncyCastleProvider.PROVIDER_NAME)
            .setContentProvider(SUN_JCE).build(rawPrivate));
    }

    private byte[] rawDecrypt(PublicKeyDataDecryptorFactory decryptor) throws Exception {
        try (InputStream decoded = PGPUtil.getDecoderStream(new ByteArrayInputStream(rawEncrypted))) {
            PGPEncryptedDataList list = (PGPEncryptedDataList) new BcPGPObjectFactory(decoded).nextObject();
            PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
            byte[] plaintext;
            try (InputStream clear = data.getDataStream(decryptor)) {
                PGPLiteralData literal = (PGPLiteralData) new BcPGPObjectFactory(clear).nextObject();
                plaintext = literal.getDataStream().readAllBytes();
            }
            // As the facade: no plaintext counts until the MDC is checked.
            if (!data.verify()) {
                throw new IllegalStateException("MDC check failed");
            }
            return plaintext;
        }
    }
}
