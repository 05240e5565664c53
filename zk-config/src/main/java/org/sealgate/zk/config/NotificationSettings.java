package org.sealgate.zk.config;

/**
 * Mail the cluster sends to its administrators ({@code notifications:} in the document).
 *
 * @param adminAddress       where expiry warnings go
 * @param expiryWarningDays  first warning this many days before a managed user's certificate or OpenPGP key expires;
 *                           further warnings at 7 and 1 day(s) when shorter, each once per key
 */
public record NotificationSettings(@Required String adminAddress,
                                   @DefaultValue("30") int expiryWarningDays) {
}
