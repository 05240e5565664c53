package org.sealgate.bench;

import java.security.Security;
import java.security.spec.MGF1ParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
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
import org.sealgate.crypto.VerificationPolicy;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;

/**
 * The crypto facade next to raw Bouncy Castle doing the same cryptographic work on the same bytes, so the cost of
 * the facade (MIME parsing, canonicalisation, policy checks, building the result message) is visible. RSA 2048
 * recipient and signer, AES-256-GCM AuthEnvelopedData with RSA-OAEP, SHA-256 signatures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SmimeBenchmark {
    private static final String SIGNER = "alice@bench.sealgate.test";
    private static final String RECIPIENT = "bob@partner.test";

    /** Attachment size in bytes. */
    @Param({"4096", "102400", "1048576"})
    int size;

    private SmimeCrypto crypto;
    private IssuedIdentity alice;
    private IssuedIdentity bob;
    private ManagedIdentity aliceKey;
    private ManagedIdentity bobKey;
    private VerificationPolicy trustCa;
    private MimeMessage plain;
    private MimeMessage encrypted;
    private MimeMessage signed;
    private byte[] entity;
    private byte[] rawEnveloped;
    private byte[] rawSignature;

    @Setup
    public void setUp() throws Exception {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        crypto = new SmimeCrypto();
        CertificateIssuer ca = CertificateIssuer.newCa("Bench CA");
        alice = ca.issue(IssueRequest.forEmail(SIGNER, KeyType.RSA_2048));
        bob = ca.issue(IssueRequest.forEmail(RECIPIENT, KeyType.RSA_2048));
        aliceKey = alice.toManagedIdentity(SIGNER);
        bobKey = bob.toManagedIdentity(RECIPIENT);
        trustCa = VerificationPolicy.trusting(List.of(ca.certificate()));
        plain = BenchMessages.message(SIGNER, RECIPIENT, size);
        encrypted = crypto.encrypt(plain, List.of(bob.certificate()), EncryptionPolicy.DEFAULT);
        signed = crypto.sign(plain, aliceKey);
        entity = BenchMessages.contentEntity(plain);
        rawEnveloped = rawEncrypt();
        rawSignature = rawSign();
    }

    @Benchmark
    public MimeMessage facadeEncrypt() throws Exception {
        return crypto.encrypt(plain, List.of(bob.certificate()), EncryptionPolicy.DEFAULT);
    }

    @Benchmark
    public byte[] rawEncrypt() throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.certificate(),
            new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)))
            .setProvider(BouncyCastleProvider.PROVIDER_NAME));
        return generator.generate(new CMSProcessableByteArray(entity),
            (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(BouncyCastleProvider.PROVIDER_NAME).build())
            .getEncoded();
    }

    @Benchmark
    public MimeMessage facadeDecrypt() throws Exception {
        return crypto.decrypt(encrypted, List.of(bobKey)).message();
    }

    @Benchmark
    public byte[] rawDecrypt() throws Exception {
        RecipientInformation recipient = new CMSAuthEnvelopedData(rawEnveloped).getRecipientInfos().getRecipients().iterator().next();
        return recipient.getContent(new JceKeyTransAuthEnvelopedRecipient(bob.keyPair().getPrivate())
            .setProvider(BouncyCastleProvider.PROVIDER_NAME));
    }

    @Benchmark
    public MimeMessage facadeSign() throws Exception {
        return crypto.sign(plain, aliceKey);
    }

    @Benchmark
    public byte[] rawSign() throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BouncyCastleProvider.PROVIDER_NAME)
            .build("SHA256withRSA", alice.keyPair().getPrivate(), alice.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(alice.certificate())));
        return generator.generate(new CMSProcessableByteArray(entity), false).getEncoded();
    }

    @Benchmark
    public VerificationResult facadeVerify() {
        return crypto.verify(signed, trustCa);
    }

    @Benchmark
    public boolean rawVerify() throws Exception {
        CMSSignedData data = new CMSSignedData(new CMSProcessableByteArray(entity), rawSignature);
        return data.getSignerInfos().getSigners().iterator().next()
            .verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastleProvider.PROVIDER_NAME).build(alice.certificate()));
    }
}
