package org.sealgate.admin;

import java.util.Map;

/**
 * The node's mail queues at one moment.
 *
 * @param depths        mails in each queue (spool and the delivery queues), by queue name
 * @param retryWaiting  mails in a delivery queue that failed at least once and wait for their next attempt
 * @param retries       delivery attempts that failed so far, summed over the mails still queued
 */
public record QueueStats(Map<String, Long> depths, long retryWaiting, long retries) {
    public QueueStats {
        depths = Map.copyOf(depths);
    }

    public long total() {
        return depths.values().stream().mapToLong(Long::longValue).sum();
    }
}
