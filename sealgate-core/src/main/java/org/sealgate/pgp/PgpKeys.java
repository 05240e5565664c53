package org.sealgate.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.operator.PGPKeyPairGenerator;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;

import org.sealgate.keys.Addresses;

/**
 * Facts about OpenPGP certificates that Sealgate decides on: which addresses a key speaks for, which of its
 * (sub)keys may be encrypted to now, whether it is revoked or expired. All checks use the self-signatures as they
 * stand at the given time: a revoked or expired certificate or subkey is never usable.
 */
public final class PgpKeys {
    private static final OpenPGPApi API = new BcOpenPGPApi(JdkAesOpenPGPImplementation.create());
    /**
     * The public certificate of each secret key object in use, weakly keyed by identity (BC's keys do not override
     * equals): the key directories keep their parsed keys, so a key is turned into its certificate once, not per mail.
     */
    private static final Map<OpenPGPKey, OpenPGPCertificate> CERTIFICATES = Collections.synchronizedMap(new WeakHashMap<>());

    private PgpKeys() {
    }

    /**
     * The shared Bouncy Castle OpenPGP API (thread-safe to share): BC's own implementation, with the bulk AES of
     * SEIPDv1 on the JDK's ({@link JdkAesOpenPGPImplementation}).
     */
    public static OpenPGPApi api() {
        return API;
    }

    /** The key's public certificate, the same object for the same key object (see {@link #CERTIFICATES}). */
    public static OpenPGPCertificate certificateOf(OpenPGPKey key) {
        OpenPGPCertificate known = CERTIFICATES.get(key);
        if (known != null) {
            return known;
        }
        // Made outside the lock: two threads may both make it once, either result is the same certificate.
        OpenPGPCertificate certificate = key.toCertificate();
        CERTIFICATES.putIfAbsent(key, certificate);
        return certificate;
    }

    /**
     * A new secret key, unprotected (store it through a {@link PgpKeyDirectory}, which protects it). Version 4:
     * Ed25519/Curve25519 in their RFC 4880bis encodings, which GnuPG 2.2 and Sequoia 1.x read; version 6: RFC 9580
     * Ed25519/X25519 (Bouncy Castle only, here).
     */
    public static OpenPGPKey generate(String userId, int version) {
        try {
            if (version == 6) {
                return API.generateKey(6).ed25519x25519Key(userId).build();
            }
            if (version != 4) {
                throw new IllegalArgumentException("OpenPGP key version must be 4 or 6, got " + version);
            }
            return API.generateKey(4)
                .withPrimaryKey(PGPKeyPairGenerator::generateLegacyEd25519KeyPair, new SignatureParameters.Callback() {
                    // Bouncy Castle announces SEIPDv2 on v4 keys too; GnuPG 2.2 and Sequoia 1.x cannot read it, and
                    // these keys are meant for them: announce only SEIPDv1 with MDC.
                    @Override
                    public SignatureParameters apply(SignatureParameters parameters) {
                        return parameters.setHashedSubpacketsFunction(subpackets -> {
                            subpackets.removePacketsOfType(org.bouncycastle.bcpg.SignatureSubpacketTags.FEATURES);
                            subpackets.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
                            return subpackets;
                        });
                    }
                })
                .addUserId(userId, new SignatureParameters.Callback() {
                    // GnuPG 2.2 reads preferences from the user ID's self-signature only; without them it would
                    // sign mail to us with SHA-1, which we (rightly) refuse.
                    @Override
                    public SignatureParameters apply(SignatureParameters parameters) {
                        return parameters.setHashedSubpacketsFunction(subpackets -> {
                            subpackets.setPreferredHashAlgorithms(false, new int[] {
                                HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
                            subpackets.setPreferredSymmetricAlgorithms(false, new int[] {
                                SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
                            subpackets.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
                            return subpackets;
                        });
                    }
                })
                .addSigningSubkey(PGPKeyPairGenerator::generateLegacyEd25519KeyPair)
                .addEncryptionSubkey(PGPKeyPairGenerator::generateLegacyX25519KeyPair)
                .build();
        } catch (PGPException e) {
            throw new IllegalStateException("OpenPGP key generation failed: " + e.getMessage(), e);
        }
    }

    /** Reads one key or certificate, armored or binary. */
    public static OpenPGPCertificate read(byte[] encoded) {
        try {
            return API.readKeyOrCertificate().parseCertificateOrKey(encoded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an OpenPGP key: " + e.getMessage(), e);
        }
    }

    /** Reads every key or certificate in the data (a keyring export may hold several). */
    public static List<OpenPGPCertificate> readAll(byte[] encoded) {
        try {
            List<OpenPGPCertificate> all = API.readKeyOrCertificate().parseKeysOrCertificates(encoded);
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no OpenPGP key found");
            }
            return all;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an OpenPGP key: " + e.getMessage(), e);
        }
    }

    /** Upper-case hex fingerprint of the primary key (40 digits for v4, 64 for v6). */
    public static String fingerprint(OpenPGPCertificate certificate) {
        return HexFormat.of().withUpperCase().formatHex(certificate.getFingerprint());
    }

    /** Normalised e-mail addresses of the user IDs valid now (not revoked, bound by a self-signature). */
    public static List<String> addresses(OpenPGPCertificate certificate) {
        return addresses(certificate, new Date());
    }

    public static List<String> addresses(OpenPGPCertificate certificate, Date time) {
        List<String> addresses = new ArrayList<>();
        for (OpenPGPCertificate.OpenPGPUserId userId : certificate.getValidUserIds(time)) {
            String address = emailOf(userId.getUserId());
            if (address != null && !addresses.contains(address)) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    /** The address in {@code Name <address>}, or the whole user ID when it is a bare address; null otherwise. */
    static String emailOf(String userId) {
        if (userId == null) {
            return null;
        }
        int open = userId.lastIndexOf('<');
        int close = userId.lastIndexOf('>');
        String candidate = open >= 0 && close > open ? userId.substring(open + 1, close) : userId;
        candidate = candidate.trim();
        if (candidate.isEmpty()) {
            return null;
        }
        candidate = Addresses.normalise(candidate);
        int at = candidate.indexOf('@');
        return at > 0 && at == candidate.lastIndexOf('@') && at < candidate.length() - 1 && !candidate.contains(" ")
            ? candidate : null;
    }

    /** Revoked as a whole (key revocation on the primary key) at the given time. */
    public static boolean isRevoked(OpenPGPCertificate certificate, Date time) {
        return certificate.getPrimaryKey().getRevocation(time) != null;
    }

    /** Expired as a whole (the primary key's expiration passed) at the given time. */
    public static boolean isExpired(OpenPGPCertificate certificate, Date time) {
        Date expiry = certificate.getExpirationTime(time);
        return expiry != null && !time.before(expiry);
    }

    /**
     * The (sub)keys that may be encrypted to at {@code time}: bound and not revoked, not expired, flagged for
     * encrypting communications; none at all when the certificate itself is revoked or expired.
     */
    public static List<OpenPGPCertificate.OpenPGPComponentKey> encryptionKeys(OpenPGPCertificate certificate, Date time) {
        if (isRevoked(certificate, time) || isExpired(certificate, time)) {
            return List.of();
        }
        List<OpenPGPCertificate.OpenPGPComponentKey> usable = new ArrayList<>();
        for (OpenPGPCertificate.OpenPGPComponentKey key : certificate.getEncryptionKeys(time, KeyFlags.ENCRYPT_COMMS)) {
            if (key.isBoundAt(time) && key.getRevocation(time) == null && !expired(key, time)) {
                usable.add(key);
            }
        }
        return usable;
    }

    /** Why a certificate cannot be encrypted to now, or empty when it can. */
    public static String whyNotUsableForEncryption(OpenPGPCertificate certificate, Date time) {
        if (isRevoked(certificate, time)) {
            return "revoked";
        }
        if (isExpired(certificate, time)) {
            return "expired " + certificate.getExpirationTime(time).toInstant();
        }
        return encryptionKeys(certificate, time).isEmpty()
            ? "no valid subkey flagged for encrypting communications (revoked, expired or missing)" : "";
    }

    private static boolean expired(OpenPGPCertificate.OpenPGPComponentKey key, Date time) {
        Date expiry = key.getKeyExpirationDateAt(time);
        return expiry != null && !time.before(expiry);
    }

    /** ASCII-armored certificate (public key), as {@code keys export-pgp} prints it. */
    public static String armored(OpenPGPCertificate certificate) {
        try {
            return certificate.toAsciiArmoredString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
