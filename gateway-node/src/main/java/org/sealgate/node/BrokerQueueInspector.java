package org.sealgate.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.DestinationFilter;
import org.apache.activemq.broker.region.DestinationStatistics;
import org.apache.activemq.broker.region.Queue;
import org.apache.activemq.broker.region.QueueMessageReference;
import org.apache.activemq.broker.region.Subscription;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.ProducerInfo;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.state.ProducerState;
import org.apache.activemq.store.MessageRecoveryListener;
import org.apache.activemq.store.MessageStore;
import org.apache.activemq.util.IdGenerator;

/**
 * Looks inside the embedded broker for one mail the tracker saw enqueued but never taken, says where it is
 * ({@link StuckMailState}), and moves it back into dispatch when that is safe: a copy with a new message id goes in
 * first, the original comes out second, so a crash in between gives a duplicate, never a loss. The copy keeps the
 * original's properties and blob URL (the body file is shared, not copied).
 */
final class BrokerQueueInspector {
    static final String MAIL_NAME = "JAMES_MAIL_NAME";
    static final String DEAD_LETTERS = "ActiveMQ.DLQ";

    /** A probe result: the state and, when found in the store, the broker's message. */
    record Finding(StuckMailState state, Message message, String detail) {
    }

    private final BrokerService broker;
    private final ProducerId producer = new ProducerId(
        new SessionId(new ConnectionId(new IdGenerator("sealgate-requeue").generateId()), 1), 1);
    private final AtomicLong sequence = new AtomicLong();

    BrokerQueueInspector(BrokerService broker) {
        this.broker = broker;
    }

    /** Read-only: finds the mail's message in the queue's store and asks the queue whether it holds it. */
    Finding classify(String queueName, String mailName) throws Exception {
        Queue queue = queue(queueName);
        if (queue == null) {
            return new Finding(StuckMailState.GONE, null, "no such queue in the broker");
        }
        Message stored = findStored(queue.getMessageStore(), mailName);
        String detail = statistics(queue);
        if (stored == null) {
            return new Finding(StuckMailState.GONE, null, detail);
        }
        QueueMessageReference ref = queue.getMessage(stored.getMessageId().toString());
        if (ref == null) {
            return new Finding(StuckMailState.C, stored, detail);
        }
        if (ref.getLockOwner() != null) {
            String owner = ref.getLockOwner() instanceof Subscription sub
                ? sub.getConsumerInfo().getConsumerId().toString() : ref.getLockOwner().toString();
            return new Finding(StuckMailState.A, stored, detail + ", locked by " + owner);
        }
        return new Finding(StuckMailState.B, stored, detail);
    }

    /** State B, first remedy: ask the queue to dispatch again. */
    void wakeup(String queueName) throws Exception {
        Queue queue = queue(queueName);
        if (queue != null) {
            queue.wakeup();
        }
    }

    /**
     * Sends a copy, then removes the original. Re-checks just before that the state has not changed meanwhile (a B
     * message a consumer has just locked may be on its way to James). Removing the original drops it in the broker,
     * so a holder of an A message can neither acknowledge it into a delivery nor get it redelivered on closing.
     *
     * @return the copy's message id, or empty text when nothing was done because the state changed
     */
    String requeue(String queueName, Finding finding) throws Exception {
        Queue queue = queue(queueName);
        if (queue == null || finding.message() == null) {
            return "";
        }
        String originalId = finding.message().getMessageId().toString();
        QueueMessageReference ref = queue.getMessage(originalId);
        StuckMailState now = ref == null ? StuckMailState.C : ref.getLockOwner() != null ? StuckMailState.A : StuckMailState.B;
        if (now != finding.state()) {
            return "";
        }
        ConnectionContext context = broker.getAdminConnectionContext();
        Message copy = finding.message().copy();
        copy.setMessageId(new MessageId(producer, sequence.incrementAndGet()));
        copy.setOriginalDestination(null);
        copy.setTransactionId(null);
        copy.setMemoryUsage(null);
        copy.setRedeliveryCounter(0);
        copy.setPersistent(true);
        send(context, copy);
        if (now == StuckMailState.C) {
            MessageAck ack = new MessageAck();
            ack.setAckType(MessageAck.STANDARD_ACK_TYPE);
            ack.setDestination(queue.getActiveMQDestination());
            ack.setFirstMessageId(finding.message().getMessageId());
            ack.setLastMessageId(finding.message().getMessageId());
            ack.setMessageCount(1);
            queue.getMessageStore().removeMessage(context, ack);
        } else {
            queue.removeMessage(originalId);
        }
        return copy.getMessageId().toString();
    }

    /** Messages in the broker's dead-letter queue: a mail the client poison-acked lands there, not on a restart. */
    long deadLetters() throws Exception {
        Queue dlq = queue(DEAD_LETTERS);
        return dlq == null ? 0 : dlq.getMessageStore().getMessageCount();
    }

    private void send(ConnectionContext context, Message message) throws Exception {
        boolean flowControl = context.isProducerFlowControl();
        try {
            // The sweeper must never wait for memory the stuck queue itself may be using.
            context.setProducerFlowControl(false);
            ProducerBrokerExchange exchange = new ProducerBrokerExchange();
            exchange.setProducerState(new ProducerState(new ProducerInfo(producer)));
            exchange.setMutable(true);
            exchange.setConnectionContext(context);
            broker.getBroker().send(exchange, message);
        } finally {
            context.setProducerFlowControl(flowControl);
        }
    }

    private Queue queue(String name) throws Exception {
        Destination d = broker.getBroker().getDestinationMap().get(new ActiveMQQueue(name));
        while (d instanceof DestinationFilter filter) {
            d = filter.getNext();
        }
        return d instanceof Queue q ? q : null;
    }

    private static Message findStored(MessageStore store, String mailName) throws Exception {
        List<Message> found = new ArrayList<>();
        // KahaDB's recover resets the store's batch position (as the cursor's own batch resets do); messages the
        // cursor already holds are de-duplicated by it. Run only for a mail already overdue.
        store.recover(new MessageRecoveryListener() {
            @Override
            public boolean recoverMessage(Message message) throws Exception {
                if (mailName.equals(message.getProperty(MAIL_NAME))) {
                    found.add(message);
                }
                return true;
            }

            @Override
            public boolean recoverMessageReference(MessageId ref) {
                return true;
            }

            @Override
            public boolean hasSpace() {
                return true;
            }

            @Override
            public boolean isDuplicate(MessageId id) {
                return false;
            }
        });
        // The last store wins: a retry enqueues a new message under the same name.
        return found.isEmpty() ? null : found.get(found.size() - 1);
    }

    private static String statistics(Queue queue) {
        DestinationStatistics s = queue.getDestinationStatistics();
        StringBuilder out = new StringBuilder();
        out.append("messages=").append(s.getMessages().getCount())
            .append(" inflight=").append(s.getInflight().getCount())
            .append(" dispatched=").append(s.getDispatched().getCount())
            .append(" dequeues=").append(s.getDequeues().getCount())
            .append(" pending=").append(queue.getMessages().size());
        for (Subscription sub : queue.getConsumers()) {
            out.append(" consumer[").append(sub.getConsumerInfo().getConsumerId())
                .append(" selector=").append(sub.getSelector())
                .append(" dispatched=").append(sub.getDispatchedQueueSize())
                .append(" pending=").append(sub.getPendingQueueSize()).append(']');
        }
        return out.toString();
    }
}
