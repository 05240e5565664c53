package org.sealgate.node;

import javax.inject.Inject;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.utils.GuiceProbe;

/** James's spool queue, as its Guice injector has it: where a released held mail starts the pipeline again. */
public final class SpoolProbe implements GuiceProbe {
    private final MailQueueFactory<?> queues;

    @Inject
    public SpoolProbe(MailQueueFactory<?> queues) {
        this.queues = queues;
    }

    MailQueue spool() {
        return queues.createQueue(MailQueueFactory.SPOOL);
    }
}
