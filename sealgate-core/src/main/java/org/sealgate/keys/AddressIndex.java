package org.sealgate.keys;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Entries of a {@link CachedFolder} by the e-mail addresses of their certificates. Extracting addresses means
 * parsing extensions, so the index is rebuilt only when the folder hands out a new contents map.
 */
final class AddressIndex<T> {
    private final Function<T, X509Certificate> certificateOf;
    private Map<String, T> indexed;
    private Map<String, List<T>> byAddress = Map.of();

    AddressIndex(Function<T, X509Certificate> certificateOf) {
        this.certificateOf = certificateOf;
    }

    /** The entries naming the address, in file-name order; {@code contents} comes from {@link CachedFolder#contents()}. */
    synchronized List<T> lookup(Map<String, T> contents, String address) {
        if (contents != indexed) {
            byAddress = build(contents);
            indexed = contents;
        }
        return byAddress.getOrDefault(Addresses.normalise(address), List.of());
    }

    private Map<String, List<T>> build(Map<String, T> contents) {
        Map<String, List<T>> index = new HashMap<>();
        for (T entry : contents.values()) {
            for (String address : CertificateAddresses.of(certificateOf.apply(entry))) {
                index.computeIfAbsent(address, ignored -> new ArrayList<>()).add(entry);
            }
        }
        index.replaceAll((address, entries) -> List.copyOf(entries));
        return index;
    }
}
