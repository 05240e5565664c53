package org.sealgate.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small EC certificates for key directory tests; deliberately independent of the production issuer. */
final class KeyDirectoryTestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private KeyDirectoryTestCertificates() {
    }

    record Issued(KeyPair keyPair, X509Certificate certificate) {
        ManagedIdentity asIdentity(String address, X509Certificate... issuers) {
            List<X509Certificate> chain = new java.util.ArrayList<>(List.of(certificate));
            chain.addAll(List.of(issuers));
            return new ManagedIdentity(address, keyPair.getPrivate(), chain);
        }
    }

    static Issued selfSignedCa(String commonName) {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        return new Issued(keys, build(name, name, keys, keys.getPrivate(), true, null));
    }

    /** An end-entity certificate with the addresses as rfc822Name SAN entries. */
    static Issued userWithAltNames(Issued issuer, String... addresses) {
        KeyPair keys = newKeyPair();
        GeneralName[] names = new GeneralName[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            names[i] = new GeneralName(GeneralName.rfc822Name, addresses[i]);
        }
        return new Issued(keys, build(issuerName(issuer), new X500Name("CN=" + addresses[0]), keys,
                issuer.keyPair().getPrivate(), false, new GeneralNames(names)));
    }

    /** An end-entity certificate carrying its address only in the legacy emailAddress attribute of the DN. */
    static Issued userWithEmailInSubject(Issued issuer, String address) {
        KeyPair keys = newKeyPair();
        return new Issued(keys, build(issuerName(issuer), new X500Name("CN=Legacy User,E=" + address), keys,
                issuer.keyPair().getPrivate(), false, null));
    }

    static Issued userWithoutAddress(Issued issuer) {
        KeyPair keys = newKeyPair();
        return new Issued(keys, build(issuerName(issuer), new X500Name("CN=No Mail"), keys,
                issuer.keyPair().getPrivate(), false, null));
    }

    static X509CRL emptyCrl(Issued issuer) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuerName(issuer), new Date());
            builder.setNextUpdate(Date.from(Instant.now().plus(7, ChronoUnit.DAYS)));
            builder.addCRLEntry(BigInteger.valueOf(SERIALS.incrementAndGet()), new Date(), 1);
            return new JcaX509CRLConverter().getCRL(builder.build(signer(issuer.keyPair().getPrivate())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name issuerName(Issued issuer) {
        return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey signingKey,
                                         boolean ca, GeneralNames altNames) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
