package org.sealgate.node;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Mail;
import org.sealgate.admin.QueueStats;

/**
 * Reads James's mail queues for the admin endpoint (depth, mails waiting for a delivery retry). A Guice probe, so
 * the node reaches James's queue factory after start without a second binding of it.
 */
final class QueueProbe implements GuiceProbe {
    /** Browsing a delivery queue costs a read of each mail: past this many, the retry figures are a lower bound. */
    private static final int MAX_BROWSED = 1000;

    private final MailQueueFactory<? extends ManageableMailQueue> queues;

    @Inject
    QueueProbe(MailQueueFactory<? extends ManageableMailQueue> queues) {
        this.queues = queues;
    }

    /** Sizes only: one statistics query per queue, no mail read. */
    long total() throws IOException {
        return stats(false).total();
    }

    /** Sizes and the delivery queues' retry figures (reads up to {@value #MAX_BROWSED} mails per queue). */
    QueueStats stats() throws IOException {
        return stats(true);
    }

    private QueueStats stats(boolean withRetries) throws IOException {
        Map<String, Long> depths = new LinkedHashMap<>();
        long retryWaiting = 0;
        long retries = 0;
        try {
            for (MailQueueName name : queues.listCreatedMailQueues()) {
                ManageableMailQueue queue = queues.getQueue(name).orElse(null);
                if (queue == null) {
                    continue;
                }
                long size = queue.getSize();
                depths.put(name.asString(), size);
                if (withRetries && size > 0 && name.asString().startsWith("outgoing")) {
                    long[] counted = retries(queue);
                    retryWaiting += counted[0];
                    retries += counted[1];
                }
            }
        } catch (ManageableMailQueue.MailQueueException | RuntimeException e) {
            throw new IOException("mail queue not answering: " + e.getMessage(), e);
        }
        return new QueueStats(depths, retryWaiting, retries);
    }

    private static long[] retries(ManageableMailQueue queue) throws ManageableMailQueue.MailQueueException {
        long waiting = 0;
        long attempts = 0;
        ManageableMailQueue.MailQueueIterator items = queue.browse();
        try {
            for (int i = 0; i < MAX_BROWSED && items.hasNext(); i++) {
                Mail mail = items.next().getMail();
                try {
                    int count = DeliveryRetriesHelper.retrieveRetries(mail);
                    if (count > 0) {
                        waiting++;
                        attempts += count;
                    }
                } finally {
                    LifecycleUtil.dispose(mail);
                }
            }
        } finally {
            items.close();
        }
        return new long[] {waiting, attempts};
    }
}
