package org.sealgate.delivery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRunnable;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's RemoteDelivery with a next hop that can change while the node runs. Stock RemoteDelivery reads
 * {@code gateway} once in {@code init}; this mailet runs the same James delivery machinery (its
 * {@link RemoteDeliveryConfiguration}, {@link DeliveryRunnable}, MailDelivrer and {@link Bouncer}, on the same
 * durable outgoing queue) and, when {@link NextHop} changes, replaces the delivery runner by one configured for the
 * new hop. Mail waiting in the queue (first attempt or retry) is then taken by the new runner, so it goes to the new
 * hop; a delivery already under way finishes where it started (the old runner stops gracefully); mail waiting for a
 * retry is made due at once, so it does not sit out its delay for the old hop's failure.
 *
 * <p>Init parameters: those of RemoteDelivery, except {@code gateway} and {@code gatewayPort}, which come from
 * {@link NextHop}. While the node has no next hop the runner points at {@code 127.0.0.1:1} (refused), the same
 * guard the rendered configuration used before: mail is never routed here then.
 */
public class LiveRemoteDelivery extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(LiveRemoteDelivery.class);
    /** No next hop: a port that refuses, so nothing could reach whatever listens on the local port 25. */
    static final String NO_HOP = "127.0.0.1:1";

    private final DNSService dns;
    private final DomainList domains;
    private final MailQueueFactory<?> queues;
    private final MetricFactory metrics;
    private final NextHop nextHop;
    private ExecutorService switcher;
    private AutoCloseable subscription;
    private MailQueue queue;
    private RemoteDeliveryConfiguration configuration;
    private DeliveryRunnable runner;
    private String hopInForce;

    @Inject
    public LiveRemoteDelivery(DNSService dns, DomainList domains, MailQueueFactory<?> queues, MetricFactory metrics,
                              NextHop nextHop) {
        this.dns = dns;
        this.domains = domains;
        this.queues = queues;
        this.metrics = metrics;
        this.nextHop = nextHop;
    }

    @Override
    public void init() throws MessagingException {
        if (getInitParameter(RemoteDeliveryConfiguration.GATEWAY) != null) {
            throw new MessagingException(getMailetName() + ": the next hop comes from the node's settings, not a 'gateway' parameter");
        }
        String hop = nextHop.current().orElse(NO_HOP);
        synchronized (this) {
            configuration = new RemoteDeliveryConfiguration(withGateway(getMailetConfig(), hop), domains);
            queue = queues.createQueue(configuration.getOutGoingQueueName());
            startRunner(hop, configuration);
        }
        switcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "next-hop-" + getMailetName());
            thread.setDaemon(true);
            return thread;
        });
        // Off the notifying thread: stopping the old runner waits for deliveries under way (up to 2 s).
        subscription = nextHop.subscribe(() -> switcher.execute(this::followNextHop));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!mail.getRecipients().isEmpty()) {
            queue.enQueue(mail);
        }
        mail.setState(Mail.GHOST);
    }

    private void followNextHop() {
        String hop = nextHop.current().orElse(null);
        if (hop == null) {
            return;     // no hop any more: keep the last one (the node reports that it needs a restart)
        }
        synchronized (this) {
            if (runner == null || hop.equals(hopInForce)) {
                return;
            }
            RemoteDeliveryConfiguration next = new RemoteDeliveryConfiguration(withGateway(getMailetConfig(), hop), domains);
            String previous = hopInForce;
            runner.dispose();
            configuration = next;
            startRunner(hop, next);
            LOGGER.info("{}: next hop {} (was {})", getMailetName(), hop, previous);
        }
        if (queue instanceof ManageableMailQueue manageable) {
            try {
                manageable.flush();
            } catch (Exception e) {
                LOGGER.warn("{}: mail waiting for a retry keeps its delay: {}", getMailetName(), e.toString());
            }
        }
    }

    private void startRunner(String hop, RemoteDeliveryConfiguration config) {
        runner = new DeliveryRunnable(queue, config, dns, metrics, getMailetContext(), new Bouncer(config, getMailetContext()));
        runner.start();
        hopInForce = hop;
    }

    /** For tests and health: the hop the runner delivers to now. */
    public synchronized String hopInForce() {
        return hopInForce;
    }

    @Override
    public synchronized List<ProcessingState> requiredProcessingState() {
        return Stream.of(configuration.getBounceProcessor(), configuration.getOnSuccess())
            .flatMap(Optional::stream).toList();
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOGGER.debug("unsubscribing from next hop changes", e);
            }
        }
        if (switcher != null) {
            switcher.shutdown();
            try {
                switcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (runner != null) {
                runner.dispose();
                runner = null;
            }
            if (queue != null) {
                try {
                    queue.close();
                } catch (Exception e) {
                    LOGGER.debug("closing the outgoing queue", e);
                }
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate LiveRemoteDelivery";
    }

    /** The mailet's configuration with {@code gateway} set to {@code hop} (host:port) and no {@code gatewayPort}. */
    private static MailetConfig withGateway(MailetConfig base, String hop) {
        return new MailetConfig() {
            @Override
            public String getInitParameter(String name) {
                if (RemoteDeliveryConfiguration.GATEWAY.equals(name)) {
                    return hop;
                }
                return RemoteDeliveryConfiguration.GATEWAY_PORT.equals(name) ? null : base.getInitParameter(name);
            }

            @Override
            public Iterator<String> getInitParameterNames() {
                List<String> names = new ArrayList<>();
                base.getInitParameterNames().forEachRemaining(name -> {
                    if (!RemoteDeliveryConfiguration.GATEWAY_PORT.equals(name)) {
                        names.add(name);
                    }
                });
                names.add(RemoteDeliveryConfiguration.GATEWAY);
                return names.iterator();
            }

            @Override
            public MailetContext getMailetContext() {
                return base.getMailetContext();
            }

            @Override
            public String getMailetName() {
                return base.getMailetName();
            }
        };
    }
}
