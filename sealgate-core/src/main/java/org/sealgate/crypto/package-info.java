/**
 * S/MIME 4.0 (RFC 8551) for Sealgate behind one facade, {@link org.sealgate.crypto.SmimeCrypto}.
 *
 * <p>Design notes:
 * <ul>
 *   <li>MIME is handled as bytes ({@code MimeEntities}, {@code MultipartSplitter}): a detached signature covers the
 *       first part's exact octets and decrypted attachments must stay byte-identical, neither of which survives a
 *       round trip through JavaMail's object model.</li>
 *   <li>Content encryption: AES-256-GCM AuthEnvelopedData (RFC 5083/5084) by default, AES-256-CBC EnvelopedData on
 *       request. Key management per recipient key: RSA-OAEP-SHA256 or PKCS#1 v1.5, ECDH stdDH-sha256kdf with
 *       AES-256 wrap (RFC 5753), X25519/X448 the same way per RFC 8418.</li>
 *   <li>Bouncy Castle 1.87 cannot do RFC 8418 stdDH key agreement with X25519/X448 (its KDF OIDs map to EC-only
 *       ECDH); {@code XdhKeyAgreement} implements that part on both sides and leaves everything else to BC.</li>
 *   <li>Verification never throws; problems are ranked MALFORMED &gt; NO_SIGNER &gt; CONFLICTING_SIGNERS &gt;
 *       BAD_SIGNATURE &gt; PARTIAL &gt; REVOKED &gt; EXPIRED &gt; WRONG_KEY_USAGE &gt; UNTRUSTED &gt; SIGNER_MISMATCH.</li>
 *   <li>Nothing here logs: messages of exceptions and results describe what failed, never content or keys.</li>
 * </ul>
 */
package org.sealgate.crypto;
