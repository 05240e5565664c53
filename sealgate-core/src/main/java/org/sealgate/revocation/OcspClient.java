package org.sealgate.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP (RFC 6960) towards the responder a certificate names: a request with a fresh nonce, a response accepted only
 * when signed by the issuing CA or by a responder certificate that CA issued with id-kp-OCSPSigning, for exactly the
 * serial asked, with our nonce when the responder echoes one (else no older than the max age), and not past its
 * nextUpdate. Definite answers are cached until nextUpdate (or the max age).
 */
final class OcspClient {
    private static final Logger LOG = LoggerFactory.getLogger(OcspClient.class);
    private static final String CONTENT_TYPE = "application/ocsp-request";
    /** An instance, not the registered name: this package does not register providers (crypto.BouncyCastle does). */
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private record Cached(RevocationStatus status, Instant validUntil) {
    }

    private final RevocationSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();
    private final Map<URI, String> lastFailure = new ConcurrentHashMap<>();

    private final RevocationTransport transport;

    OcspClient(RevocationSettings settings, Clock clock, RevocationTransport transport) {
        this.settings = settings;
        this.clock = clock;
        this.transport = transport;
    }

    RevocationStatus status(X509Certificate certificate, X509Certificate issuer, URI uri) {
        Instant now = clock.instant();
        String key = uri + "|" + issuer.getSubjectX500Principal().getName() + "|" + certificate.getSerialNumber();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.validUntil())) {
            return cached.status();
        }
        Instant backoff = failedUntil.get(uri);
        if (backoff != null && now.isBefore(backoff)) {
            return RevocationStatus.unknown("OCSP responder " + uri + " not asked again before " + backoff + " after: "
                + lastFailure.getOrDefault(uri, "?"));
        }
        try {
            Answer answer = ask(certificate, issuer, uri, now);
            if (answer.status().definite()) {
                cache.put(key, new Cached(answer.status(), answer.validUntil()));
            }
            failedUntil.remove(uri);
            lastFailure.remove(uri);
            return answer.status();
        } catch (IOException | OCSPException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            String problem = e.getMessage();
            LOG.warn("OCSP responder {} refused: {}", uri, problem);
            failedUntil.put(uri, now.plus(settings.failureBackoff()));
            lastFailure.put(uri, problem);
            return RevocationStatus.unknown("OCSP response from " + uri + " refused: " + problem);
        }
    }

    private record Answer(RevocationStatus status, Instant validUntil) {
    }

    private Answer ask(X509Certificate certificate, X509Certificate issuer, URI uri, Instant now)
            throws IOException, OCSPException, GeneralSecurityException, OperatorCreationException {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        Extension nonceExtension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
            new DEROctetString(new DEROctetString(nonce).getEncoded()));
        OCSPReq request = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(nonceExtension)).build();
        byte[] body = transport.post(uri, CONTENT_TYPE, request.getEncoded(), settings.timeout(), settings.maxOcspBytes());
        OCSPResp response = new OCSPResp(body);
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new OCSPException("responder status " + response.getStatus() + " (not successful)");
        }
        if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
            throw new OCSPException("not a basic OCSP response");
        }
        checkSignature(basic, issuer, now);
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed != null && !echoed.getExtnValue().equals(nonceExtension.getExtnValue())) {
            throw new OCSPException("the response's nonce is not the one we sent (a replayed response)");
        }
        SingleResp single = matching(basic, id, certificate.getSerialNumber());
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
            throw new OCSPException("the response's thisUpdate " + thisUpdate + " is in the future");
        }
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (nextUpdate != null && !now.isBefore(nextUpdate.plus(settings.clockSkew()))) {
            throw new OCSPException("the response is stale: its nextUpdate " + nextUpdate + " has passed");
        }
        if (echoed == null && nextUpdate == null && thisUpdate.plus(settings.ocspMaxAge()).isBefore(now)) {
            throw new OCSPException("the response (thisUpdate " + thisUpdate + ", no nonce, no nextUpdate) is too old");
        }
        Instant validUntil = nextUpdate != null ? nextUpdate : now.plus(settings.ocspMaxAge());
        CertificateStatus status = single.getCertStatus();
        String serial = certificate.getSerialNumber().toString(16);
        if (status == CertificateStatus.GOOD) {
            return new Answer(RevocationStatus.good("ocsp", "OCSP responder " + uri + " says serial " + serial + " is good"), validUntil);
        }
        if (status instanceof RevokedStatus revoked) {
            return new Answer(RevocationStatus.revoked("ocsp", "OCSP responder " + uri + " says serial " + serial
                + " is revoked (since " + revoked.getRevocationTime().toInstant() + ")"), validUntil);
        }
        return new Answer(RevocationStatus.unknown("OCSP responder " + uri + " does not know serial " + serial), validUntil);
    }

    private static SingleResp matching(BasicOCSPResp basic, CertificateID id, BigInteger serial) throws OCSPException {
        SingleResp[] responses = basic.getResponses();
        for (SingleResp single : responses) {
            if (single.getCertID().equals(id)) {
                return single;
            }
        }
        String answered = responses.length == 0 ? "no certificate"
            : "serial " + responses[0].getCertID().getSerialNumber().toString(16);
        throw new OCSPException("the response is for " + answered + ", not for serial " + serial.toString(16) + " of this issuer");
    }

    /** Signed by the issuer itself, or by a delegated responder the issuer certified for OCSP signing. */
    private static void checkSignature(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OCSPException, OperatorCreationException {
        JcaContentVerifierProviderBuilder builder = new JcaContentVerifierProviderBuilder().setProvider(PROVIDER);
        ContentVerifierProvider issuerKey = builder.build(issuer.getPublicKey());
        if (basic.isSignatureValid(issuerKey)) {
            return;
        }
        X509CertificateHolder issuerHolder;
        try {
            issuerHolder = new JcaX509CertificateHolder(issuer);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new OCSPException("cannot encode the issuer certificate", e);
        }
        for (X509CertificateHolder responder : basic.getCerts()) {
            try {
                if (!responder.getIssuer().equals(issuerHolder.getSubject())
                        || !responder.isSignatureValid(builder.build(issuerHolder))) {
                    continue;
                }
                org.bouncycastle.asn1.x509.ExtendedKeyUsage eku =
                    org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions());
                if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                    continue;
                }
                if (!responder.isValidOn(java.util.Date.from(now))) {
                    continue;
                }
                if (basic.isSignatureValid(builder.build(responder))) {
                    return;
                }
            } catch (org.bouncycastle.cert.CertException | java.security.cert.CertificateException e) {
                // not this responder certificate
            }
        }
        throw new OCSPException("the response is signed neither by the issuer " + issuer.getSubjectX500Principal().getName()
            + " nor by a responder it certified for OCSP signing");
    }
}
