/**
 * Live revocation status of X.509 certificates: CRLs fetched from the certificate's distribution points
 * ({@link org.sealgate.revocation.CrlCache}) and OCSP, behind one entry point,
 * {@link org.sealgate.revocation.RevocationChecker}, used by encryption-certificate selection and signature
 * verification alike. What the caller does with an unknown status is the per-domain {@code revocation} setting
 * ({@link org.sealgate.policy.RevocationMode}).
 */
package org.sealgate.revocation;
