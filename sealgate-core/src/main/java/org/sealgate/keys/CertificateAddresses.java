package org.sealgate.keys;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** The e-mail addresses a certificate is issued for, normalised like every key look-up. */
public final class CertificateAddresses {
    /** GeneralName tag of rfc822Name in {@link X509Certificate#getSubjectAlternativeNames()}. */
    private static final int RFC822_NAME = 1;

    private CertificateAddresses() {
    }

    /**
     * The rfc822Name entries of the subjectAltName; only when there are none, the emailAddress attributes of the
     * subject DN (RFC 8550 section 3: the DN attribute is the legacy place, the SAN wins when present).
     * Returns the addresses in certificate order, normalised, without duplicates.
     */
    public static Set<String> of(X509Certificate certificate) {
        Set<String> fromAltNames = fromSubjectAltNames(certificate);
        return fromAltNames.isEmpty() ? fromSubjectDn(certificate) : fromAltNames;
    }

    public static boolean matches(X509Certificate certificate, String address) {
        return of(certificate).contains(Addresses.normalise(address));
    }

    private static Set<String> fromSubjectAltNames(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        Collection<List<?>> altNames;
        try {
            altNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            // A broken SAN extension simply yields no SAN addresses; the DN may still name one.
            return addresses;
        }
        if (altNames == null) {
            return addresses;
        }
        for (List<?> altName : altNames) {
            if (altName.size() >= 2 && Integer.valueOf(RFC822_NAME).equals(altName.get(0))
                    && altName.get(1) instanceof String value && !value.isBlank()) {
                addresses.add(Addresses.normalise(value));
            }
        }
        return addresses;
    }

    private static Set<String> fromSubjectDn(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.EmailAddress.equals(attribute.getType())) {
                    ASN1Encodable value = attribute.getValue();
                    String text = value instanceof ASN1String string ? string.getString() : value.toString();
                    if (!text.isBlank()) {
                        addresses.add(Addresses.normalise(text));
                    }
                }
            }
        }
        return addresses;
    }
}
