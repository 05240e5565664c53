package org.sealgate.routes.discovery;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveryCandidate;

/**
 * S/MIME certificates ({@code userCertificate;binary}) and OpenPGP keys ({@code pgpKey} of objectClass
 * {@code pgpKeyInfo}, ASCII-armoured or binary) from LDAP directories, anonymous search, servers tried in
 * order. The address is escaped into the filter (RFC 4515), so an address cannot widen the search; entries and
 * values are capped, and each value is only a candidate for validation.
 */
public final class LdapSource implements KeySource {
    public static final String NAME = "ldap";
    static final int MAX_ENTRIES = 10;
    static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final List<String> SMIME_ATTRIBUTES =
        List.of("userCertificate;binary", "userCertificate", "userSMIMECertificate");
    private static final List<String> OPENPGP_ATTRIBUTES = List.of("pgpKey");
    private static final String[] ATTRIBUTES = java.util.stream.Stream.concat(SMIME_ATTRIBUTES.stream(),
        OPENPGP_ATTRIBUTES.stream()).toArray(String[]::new);

    private final LdapSettings settings;

    public LdapSource(LdapSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration timeout() {
        return settings.timeout();
    }

    @Override
    public List<DiscoveryCandidate> fetch(String recipient) throws IOException {
        String address = Addresses.normalise(recipient);
        Filter filter;
        try {
            filter = Filter.create(settings.filter().replace("{0}", Filter.encodeValue(address)));
        } catch (LDAPException e) {
            throw new IOException("bad LDAP filter setting: " + e.getMessage(), e);
        }
        try (LDAPConnection connection = serverSet().getConnection()) {
            SearchRequest request = new SearchRequest(settings.baseDn(), SearchScope.SUB, filter, ATTRIBUTES);
            request.setSizeLimit(MAX_ENTRIES);
            request.setTimeLimitSeconds((int) Math.max(1, settings.timeout().toSeconds()));
            request.setResponseTimeoutMillis(settings.timeout().toMillis());
            SearchResult result = search(connection, request);
            String source = NAME + " " + (settings.security() == LdapSettings.Security.LDAPS ? "ldaps://" : "ldap://")
                + connection.getConnectedAddress() + ":" + connection.getConnectedPort();
            List<DiscoveryCandidate> candidates = new ArrayList<>();
            for (SearchResultEntry entry : result.getSearchEntries()) {
                for (String attribute : ATTRIBUTES) {
                    byte[][] values = entry.getAttributeValueByteArrays(attribute);
                    if (values == null) {
                        continue;
                    }
                    DiscoveredKey.Kind kind = OPENPGP_ATTRIBUTES.contains(attribute)
                        ? DiscoveredKey.Kind.OPENPGP : DiscoveredKey.Kind.SMIME;
                    for (byte[] value : values) {
                        if (value.length <= MAX_VALUE_BYTES) {
                            candidates.add(new DiscoveryCandidate(kind, source, value));
                        }
                    }
                }
            }
            return candidates;
        } catch (LDAPException e) {
            throw new IOException("LDAP " + e.getResultCode() + ": " + e.getDiagnosticMessage(), e);
        }
    }

    /** A size-limit stop still carries the entries found so far: use them. */
    private static SearchResult search(LDAPConnection connection, SearchRequest request) throws LDAPException {
        try {
            return connection.search(request);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchResult();
            }
            throw e;
        }
    }

    private FailoverServerSet serverSet() {
        String[] hosts = settings.servers().stream().map(LdapSettings::host).toArray(String[]::new);
        int[] ports = settings.servers().stream().mapToInt(LdapSettings::port).toArray();
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.timeout().toMillis());
        options.setResponseTimeoutMillis(settings.timeout().toMillis());
        options.setFollowReferrals(false);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        return switch (settings.security()) {
            case LDAPS -> new FailoverServerSet(hosts, ports, settings.tls().getSocketFactory(), options);
            case STARTTLS -> new FailoverServerSet(hosts, ports, SocketFactory.getDefault(), options, null,
                new StartTLSPostConnectProcessor(settings.tls()));
            case PLAIN -> new FailoverServerSet(hosts, ports, options);
        };
    }
}
