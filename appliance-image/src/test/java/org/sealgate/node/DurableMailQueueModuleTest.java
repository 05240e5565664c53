package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The queue's consumers must time out on their own: with James's prefetch 0 a receive is a pull that waits for the
 * broker without a limit, and a lost answer hung a dequeuer (and the mail handed to it) until restart. The load that
 * showed it is the benchmark (BENCHMARKS.md), too long for a test; this pins the setting.
 */
class DurableMailQueueModuleTest {
    @Test
    void queueConsumersShouldPrefetchOneMailSoThatReceiveTimesOutLocally() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://unused?create=false");
        factory.getPrefetchPolicy().setQueuePrefetch(0);

        DurableMailQueueModule.withLocalReceiveTimeout(factory);

        assertThat(factory.getPrefetchPolicy().getQueuePrefetch()).isEqualTo(1);
    }
}
