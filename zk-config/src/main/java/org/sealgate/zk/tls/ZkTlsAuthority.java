package org.sealgate.zk.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.sealgate.zk.store.LocalFiles;

/**
 * A small CA for the ZooKeeper connections of one cluster, kept in a directory: {@code ca.pem} (the trust store of
 * every client and server) and {@code ca.key.pem} (owner-only; keep it off the nodes once the identities are
 * issued). Each identity (the ZooKeeper servers, admin, node, portal) gets {@code NAME.p12} with its key and chain,
 * {@code NAME.p12.password} (random, owner-only) and {@code NAME.properties}, a client file of {@code zk.tls.*}
 * keys ({@link ZkTlsSettings}). EC P-256 keys, SHA-256 signatures; certificates name their hosts (DNS or IP) so
 * clients can verify the server's host.
 */
public final class ZkTlsAuthority {
    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CA_KEY = "ca.key.pem";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration IDENTITY_VALIDITY = Duration.ofDays(825);
    private static final Pattern IDENTITY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private ZkTlsAuthority(Path directory, X509Certificate certificate, PrivateKey key) {
        this.directory = directory;
        this.certificate = certificate;
        this.key = key;
    }

    /** Makes a new CA in {@code directory}; refuses to overwrite one (its identities would stop being trusted). */
    public static ZkTlsAuthority create(Path directory, String name, Instant now) throws IOException {
        if (Files.exists(directory.resolve(CA_KEY)) || Files.exists(directory.resolve(CA_CERTIFICATE))) {
            throw new IOException(directory + " already holds a CA (" + CA_CERTIFICATE + "); not overwritten");
        }
        Files.createDirectories(directory);
        KeyPair pair = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate ca = sign(builder, pair.getPrivate());
            LocalFiles.writeOwnerOnlyAtomically(directory.resolve(CA_KEY), pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            Files.write(directory.resolve(CA_CERTIFICATE), pem(ca));
            return new ZkTlsAuthority(directory, ca, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("could not make the ZooKeeper CA: " + e.getMessage(), e);
        }
    }

    /** The CA in {@code directory}, for issuing; needs its key. */
    public static ZkTlsAuthority load(Path directory) throws IOException {
        try (Reader certReader = Files.newBufferedReader(directory.resolve(CA_CERTIFICATE));
             PEMParser certParser = new PEMParser(certReader);
             Reader keyReader = Files.newBufferedReader(directory.resolve(CA_KEY));
             PEMParser keyParser = new PEMParser(keyReader)) {
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) certParser.readObject());
            Object key = keyParser.readObject();
            PrivateKeyInfo info = key instanceof org.bouncycastle.openssl.PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) key;
            return new ZkTlsAuthority(directory, ca, new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException(directory + ": not a ZooKeeper CA (" + e.getMessage() + ")", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues {@code identity} for two years from now; see {@link #issue(String, List, Instant, Instant)}. */
    public Path issue(String identity, List<String> hosts, Instant now) throws IOException {
        return issue(identity, hosts, now.minusSeconds(60), now.plus(IDENTITY_VALIDITY));
    }

    /**
     * Issues a certificate for {@code identity} (CN), naming {@code hosts} (DNS names or IP addresses, needed for
     * a server; a client may have none), usable as TLS server and client; writes its three files next to the CA
     * and returns the client file ({@code NAME.properties}). An existing identity is replaced (re-issue).
     */
    public Path issue(String identity, List<String> hosts, Instant notBefore, Instant notAfter) throws IOException {
        if (!IDENTITY.matcher(identity).matches() || identity.equals("ca")) {
            throw new IllegalArgumentException("an identity name is lower-case letters, digits, '.', '_' or '-' (not 'ca'): " + identity);
        }
        KeyPair pair = newKeyPair();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=" + identity), pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String host : hosts) {
                    boolean ip = IPV4.matcher(host).matches() || host.contains(":");
                    names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate issued = sign(builder, key);
            char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24)).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(identity, pair.getPrivate(), password, new Certificate[] {issued, certificate});
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (OutputStream out = bytes) {
                store.store(out, password);
            }
            LocalFiles.writeOwnerOnlyAtomically(directory.resolve(identity + ".p12.password"),
                (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
            LocalFiles.writeOwnerOnlyAtomically(directory.resolve(identity + ".p12"), bytes.toByteArray());
            java.util.Arrays.fill(password, '\0');
            Path client = directory.resolve(identity + ".properties");
            Files.writeString(client, """
                # ZooKeeper TLS client settings of identity %1$s (sealgate --zk-tls FILE, or copy into
                # sealgate.properties / gina.properties with paths relative to that file's directory)
                %2$s=%1$s.p12
                %3$s=%1$s.p12.password
                %4$s=%5$s
                %6$s=true
                """.formatted(identity, ZkTlsSettings.KEYSTORE, ZkTlsSettings.KEYSTORE_PASSWORD_FILE,
                ZkTlsSettings.TRUSTSTORE, CA_CERTIFICATE, ZkTlsSettings.HOSTNAME_VERIFICATION), StandardCharsets.UTF_8);
            return client;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("could not issue " + identity + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
        throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(1, randomBytes(16));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof org.bouncycastle.util.io.pem.PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
