package org.sealgate.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
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
 * durable outgoing queue) with a configuration whose gateway is read from {@link NextHop} at each delivery attempt
 * (James's DnsHelper asks {@code getGatewayServer()} per attempt). Mail waiting in the queue, first attempt or retry,
 * thus goes to the hop in force when it is taken; a delivery under way finishes where it started. On a change, mail
 * waiting for a retry is made due at once where the queue supports it ({@link ManageableMailQueue#flush()}).
 * One delivery runner for the mailet's life: replacing runners on a JMS queue strands messages a stopped consumer
 * had already received.
 *
 * <p>Init parameters: those of RemoteDelivery, except {@code gateway} and {@code gatewayPort}, which come from
 * {@link NextHop}. While the node has no next hop the gateway is {@code 127.0.0.1:1} (refused), the same guard the
 * rendered configuration used before: mail is never routed here then.
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
    private AutoCloseable subscription;
    private MailQueue queue;
    private RemoteDeliveryConfiguration configuration;
    private DeliveryRunnable runner;

    /** RemoteDelivery's configuration, its gateway being the next hop in force at each call. */
    private static final class LiveConfiguration extends RemoteDeliveryConfiguration {
        private final NextHop nextHop;

        LiveConfiguration(MailetConfig config, DomainList domains, NextHop nextHop) {
            super(withGateway(config, nextHop.current().orElse(NO_HOP)), domains);
            this.nextHop = nextHop;
        }

        @Override
        public Collection<String> getGatewayServer() {
            return List.of(nextHop.current().orElse(NO_HOP));
        }
    }

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
        configuration = new LiveConfiguration(getMailetConfig(), domains, nextHop);
        queue = queues.createQueue(configuration.getOutGoingQueueName());
        runner = new DeliveryRunnable(queue, configuration, dns, metrics, getMailetContext(),
            new Bouncer(configuration, getMailetContext()));
        runner.start();
        subscription = nextHop.subscribe(this::nextHopChanged);
        LOGGER.info("{} delivers to the next hop in force, now {}", queue.getName().asString(),
            nextHop.current().orElse("none"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!mail.getRecipients().isEmpty()) {
            queue.enQueue(mail);
        }
        mail.setState(Mail.GHOST);
    }

    private void nextHopChanged() {
        LOGGER.info("{}: next hop now {}", queue.getName().asString(), nextHop.current().orElse("none"));
        if (queue instanceof ManageableMailQueue manageable) {
            try {
                manageable.flush();
            } catch (Exception e) {
                LOGGER.warn("{}: mail waiting for a retry keeps its delay: {}", queue.getName().asString(), e.toString());
            }
        }
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
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
        if (runner != null) {
            runner.dispose();
        }
        if (queue != null) {
            try {
                queue.close();
            } catch (Exception e) {
                LOGGER.debug("closing the outgoing queue", e);
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
