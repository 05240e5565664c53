package org.sealgate.zk.config;

/**
 * The GINA portal: where recipients reach it (the name in links and certificates, and the HTTPS port), and the
 * settings every portal and node must agree on, because any portal serves any session after a VIP failover and
 * the counters are cluster-wide. Defaults are those of {@code gina.properties}; the document wins over it.
 *
 * @param sessionMinutes    idle lifetime of a portal session (renewed while in use)
 * @param sessionMaxHours   absolute lifetime of a session, renewals included; at least {@code sessionMinutes}
 * @param firstPasswordDays how long a first password may be used to register
 * @param selfServiceReset  recipients may reset a forgotten password with their recovery question
 * @param repliesPerHour    portal replies per account and hour, counted cluster-wide
 */
public record GinaSettings(String hostName,
                           @DefaultValue("8443") int port,
                           @DefaultValue("30") int sessionMinutes,
                           @DefaultValue("8") int sessionMaxHours,
                           @DefaultValue("14") int firstPasswordDays,
                           @DefaultValue("false") boolean selfServiceReset,
                           @DefaultValue("20") int repliesPerHour) {

    /** The portal's shared settings at their defaults. */
    public GinaSettings(String hostName, int port) {
        this(hostName, port, 30, 8, 14, false, 20);
    }
}
