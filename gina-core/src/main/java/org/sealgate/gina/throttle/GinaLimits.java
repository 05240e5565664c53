package org.sealgate.gina.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.account.LockoutPolicy;

/**
 * The GINA rate limits, designed so that an attacker cannot lock a real user out:
 * <ul>
 * <li>failed secrets (password, first password, security answer) are counted per (account, client address): an
 *     attacker guessing from one address slows down only himself; the real user at another address still logs in;</li>
 * <li>and per client address over all accounts, with more free failures, so one address cannot sweep many accounts;</li>
 * <li>sender resets (one per recipient per interval) and portal replies (per account per hour), cluster-wide.</li>
 * </ul>
 * Nothing here locks an account for ever (only an administrator can). With {@link #zooKeeper} every portal and
 * gateway node counts into the same counters.
 */
public record GinaLimits(Throttle perAccountAndClient, Throttle perClient, Throttle rates) {
    /** Per client address: 20 free failures over all accounts, then from 30 s doubling up to an hour. */
    public static final LockoutPolicy PER_CLIENT = new LockoutPolicy(20, Duration.ofSeconds(30), Duration.ofHours(1), 21);
    private static final LockoutPolicy UNUSED = new LockoutPolicy(1, Duration.ZERO, Duration.ZERO, 2);

    public static GinaLimits inMemory(LockoutPolicy perAccountAndClient, Clock clock) {
        return new GinaLimits(Throttle.inMemory(perAccountAndClient, clock), Throttle.inMemory(PER_CLIENT, clock),
            Throttle.inMemory(UNUSED, clock));
    }

    public static GinaLimits zooKeeper(CuratorFramework client, List<ACL> acls, LockoutPolicy perAccountAndClient, Clock clock) {
        return new GinaLimits(Throttle.zooKeeper(client, Throttle.LOGIN_PATH, acls, perAccountAndClient, clock),
            Throttle.zooKeeper(client, Throttle.LOGIN_PATH, acls, PER_CLIENT, clock),
            Throttle.zooKeeper(client, Throttle.RATE_PATH, acls, UNUSED, clock));
    }

    /** The later of both waits, if either applies. */
    public Optional<Instant> blockedUntil(String address, String client) throws AccountStoreException {
        Optional<Instant> pair = perAccountAndClient.blockedUntil(pairKey(address, client));
        Optional<Instant> any = perClient.blockedUntil(clientKey(client));
        if (pair.isPresent() && any.isPresent()) {
            return Optional.of(pair.get().isAfter(any.get()) ? pair.get() : any.get());
        }
        return pair.isPresent() ? pair : any;
    }

    public void failed(String address, String client) throws AccountStoreException {
        perAccountAndClient.fail(pairKey(address, client));
        perClient.fail(clientKey(client));
    }

    /** Clears this (account, client) pair; the client's count over all accounts stays (it decays by time). */
    public void succeeded(String address, String client) throws AccountStoreException {
        perAccountAndClient.clear(pairKey(address, client));
    }

    /** True if {@code address} may send one more portal reply now (and counts it): at most {@code max} per hour. */
    public boolean tryReply(String address, int max) throws AccountStoreException {
        return rates.tryUse("reply|" + address.toLowerCase(Locale.ROOT), max, Duration.ofHours(1));
    }

    /** True if {@code address} may be reset by a sender now (and counts the reset), false within the interval. */
    public boolean tryReset(String address, Duration interval) throws AccountStoreException {
        return rates.tryUse("reset|" + address.toLowerCase(Locale.ROOT), interval);
    }

    /** Removes counters that no longer count (run now and then, e.g. hourly, by one process or many). */
    public int sweep() throws AccountStoreException {
        return perAccountAndClient.sweep() + perClient.sweep() + rates.sweep();
    }

    private static String pairKey(String address, String client) {
        return "pair|" + address.toLowerCase(Locale.ROOT) + "|" + network(client);
    }

    private static String clientKey(String client) {
        return "client|" + network(client);
    }

    /** IPv6 clients count by their /64 (one subscriber's prefix), so address hopping within it gains nothing. */
    static String network(String client) {
        if (!client.contains(":") || !client.matches("[0-9A-Fa-f:.]+")) {
            return client;   // IPv4, or not an address literal (never resolved)
        }
        try {
            byte[] address = java.net.InetAddress.getByName(client).getAddress();
            if (address.length != 16) {
                return client;
            }
            return java.util.HexFormat.of().formatHex(address, 0, 8) + "::/64";
        } catch (java.net.UnknownHostException e) {
            return client;
        }
    }
}
