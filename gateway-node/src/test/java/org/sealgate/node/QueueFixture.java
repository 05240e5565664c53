package org.sealgate.node;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.internet.MimeMessage;

import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.DestinationFilter;
import org.apache.activemq.broker.region.Queue;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.store.IndexListener;
import org.apache.activemq.util.IdGenerator;
import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.FileSystemBlobTransferPolicy;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;

import com.codahale.metrics.MetricRegistry;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The node's queue stack without the node: our broker on a directory, James's ActiveMQ queue factory on it, the
 * tracking wrapper and a detector on a test clock. {@link #restart()} reopens the same directory.
 */
final class QueueFixture implements AutoCloseable {
    static final MailQueueName OUTGOING = MailQueueName.of("outgoing");

    private final Path dir;
    private final java.time.Clock clock;
    QueueBroker broker;
    ActiveMQMailQueueFactory james;
    MailTracker tracker;
    TrackedMailQueueFactory queues;
    StuckMailDetector detector;
    final List<StuckMailDetector.Report> published = new CopyOnWriteArrayList<>();
    private Disposable consumer;

    private final boolean hardened;

    QueueFixture(Path dir, java.time.Clock clock) throws Exception {
        this(dir, clock, true);
    }

    /** {@code hardened=false}: the broker as James's {@code EmbeddedActiveMQ} set it up (for the harness). */
    QueueFixture(Path dir, java.time.Clock clock, boolean hardened) throws Exception {
        this.dir = dir;
        this.clock = clock;
        this.hardened = hardened;
        open();
    }

    private void open() throws Exception {
        FileSystem fs = new DirFileSystem(dir.toFile());
        FileSystemBlobTransferPolicy blobs = new FileSystemBlobTransferPolicy();
        blobs.setDefaultUploadUrl("file://var/store/activemq/blob-transfer");
        blobs.setFileSystem(fs);
        broker = QueueBroker.start(fs.getFile("file://var/store/activemq/brokers"), blobs, hardened);
        DropWizardMetricFactory metrics = new DropWizardMetricFactory(new MetricRegistry());
        james = new ActiveMQMailQueueFactory(broker.connectionFactory(), new RawMailQueueItemDecoratorFactory(), metrics,
            new NoopGaugeRegistry(), new ActiveMQMetricCollectorImpl(ActiveMQConfiguration.getDefault(),
                broker.connectionFactory(), metrics, new NoopGaugeRegistry()));
        james.setUseJMX(false);
        james.init();
        tracker = new MailTracker(clock, 1000, Duration.ofDays(1));
        queues = new TrackedMailQueueFactory(james, tracker);
        detector = StuckMailDetectors.create(tracker, new BrokerQueueInspector(broker.service()), clock,
            new StuckMailDetectors.Timings(Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofHours(1)),
            published::add);
    }

    ManageableMailQueue queue(String name) {
        return queues.createQueue(MailQueueName.of(name));
    }

    ManageableMailQueue outgoing() {
        return queues.createQueue(OUTGOING);
    }

    /** A James consumer as RemoteDelivery's: takes each mail, records its name, done SUCCESS. */
    void consume(List<String> delivered) {
        consumer = Flux.from(outgoing().deQueue())
            .flatMap(item -> reactor.core.publisher.Mono.fromCallable(() -> {
                delivered.add(item.getMail().getName());
                item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                return item;
            }).subscribeOn(Schedulers.boundedElastic()), 4)
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe();
    }

    Queue brokerQueue(String name) throws Exception {
        Destination d = broker.service().getDestination(new ActiveMQQueue(name));
        while (d instanceof DestinationFilter f) {
            d = f.getNext();
        }
        return (Queue) d;
    }

    /**
     * Turns a queued, undispatched mail into state C: out of the queue's cursor, a copy (new id, same properties
     * and body file) written straight into KahaDB, as the AMQ-9625 family leaves a message.
     */
    void strandInStore(String mailName) throws Exception {
        Queue queue = brokerQueue(OUTGOING.asString());
        Message[] browsed = queue.browse();
        Message original = null;
        for (Message m : browsed) {
            if (mailName.equals(m.getProperty(BrokerQueueInspector.MAIL_NAME))) {
                original = m;
            }
        }
        if (original == null) {
            throw new IllegalStateException(mailName + " is not queued");
        }
        Message planted = original.copy();
        planted.setMessageId(new MessageId(new ProducerId(new SessionId(
            new ConnectionId(new IdGenerator("test-plant").generateId()), 1), 1), 1));
        if (!queue.removeMessage(original.getMessageId().toString())) {
            throw new IllegalStateException("could not take " + mailName + " out of the cursor");
        }
        ConnectionContext context = broker.service().getAdminConnectionContext();
        queue.getMessageStore().addMessage(context, planted);
        // KahaDB hands the new index entry to the queue (its cursor update waits for the next send) and keeps it
        // pending until then: complete it without the cursor update, as a lost cursor add ends.
        @SuppressWarnings("unchecked")
        LinkedList<IndexListener.MessageContext> updates = (LinkedList<IndexListener.MessageContext>)
            field(Queue.class, "indexOrderedCursorUpdates").get(queue);
        synchronized (updates) {
            IndexListener.MessageContext added = updates.removeLast();
            if (!added.message.getMessageId().equals(planted.getMessageId())) {
                throw new IllegalStateException("unexpected pending cursor update " + added.message.getMessageId());
            }
            added.onCompletion.run();
        }
    }

    private static java.lang.reflect.Field field(Class<?> type, String name) throws NoSuchFieldException {
        java.lang.reflect.Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    long stored(String queue) throws Exception {
        return brokerQueue(queue).getMessageStore().getMessageCount();
    }

    static Mail mail(String name) throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("stuck " + name).setText("body of " + name)
            .addFrom("sender@example.org").addToRecipient("rcpt@example.com").build();
        return MailImpl.builder().name(name).sender("sender@example.org")
            .addRecipient(new MailAddress("rcpt@example.com")).mimeMessage(message).build();
    }

    void stopConsumer() {
        if (consumer != null) {
            consumer.dispose();
            consumer = null;
        }
    }

    /** Closes everything and opens the same directory again (a node restart). */
    void restart() throws Exception {
        close();
        published.clear();
        open();
    }

    @Override
    public void close() {
        stopConsumer();
        detector.close();
        queues.stopTaking(Duration.ofSeconds(3));
        james.destroy();
        broker.close();
    }

    /** James's file system on one directory: {@code file://x} is {@code dir/x}. */
    private record DirFileSystem(File base) implements FileSystem {
        @Override
        public InputStream getResource(String url) throws java.io.IOException {
            return new FileInputStream(getFile(url));
        }

        @Override
        public File getFile(String url) {
            String path = url.replaceFirst("^file:(//)?", "");
            return path.startsWith("/") ? new File(path) : new File(base, path);
        }

        @Override
        public File getBasedir() {
            return base;
        }
    }
}
