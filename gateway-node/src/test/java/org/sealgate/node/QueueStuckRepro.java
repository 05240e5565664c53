package org.sealgate.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bounded reproduction of "a mail stored in the queue and never dequeued" (activemq.md §6), in one JVM, no SMTP:
 * producers fill {@code spool}, a spooler moves each mail to {@code outgoing}, a RemoteDelivery-like consumer
 * "delivers" (1–50 ms; 1 % retried after 2 s), a poller calls getSize/browse as the admin endpoint does. Every
 * {@code batch} mails it waits up to 60 s for all to arrive; a missing one is probed and the run stops. Not a test:
 * {@code java ... org.sealgate.node.QueueStuckRepro hardened|stock MAX_MAILS MAX_MINUTES RATE_PER_S}.
 */
public final class QueueStuckRepro {
    public static void main(String[] args) throws Exception {
        boolean hardened = !args[0].equals("stock");
        long maxMails = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + Duration.ofMinutes(Long.parseLong(args[2])).toNanos();
        int rate = Integer.parseInt(args[3]);
        int batch = 2000;
        Path dir = Files.createTempDirectory("queue-repro");
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicLong retries = new AtomicLong();
        AtomicBoolean polling = new AtomicBoolean(true);
        byte[] body = new byte[100 * 1024];
        new Random(1).nextBytes(body);
        String text = java.util.Base64.getMimeEncoder().encodeToString(body);
        try (QueueFixture q = new QueueFixture(dir, Clock.systemUTC(), hardened)) {
            ManageableMailQueue spool = q.queue("spool");
            ManageableMailQueue outgoing = q.outgoing();
            Disposable spooler = Flux.from(spool.deQueue()).flatMap(item -> Mono.fromRunnable(() -> {
                try {
                    outgoing.enQueue(item.getMail());
                    item.done(CompletionStatus.SUCCESS);
                } catch (Exception e) {
                    System.out.println("spool: " + e);
                }
            }).subscribeOn(Schedulers.boundedElastic()), 8).subscribeOn(Schedulers.boundedElastic()).subscribe();
            Disposable delivery = Flux.from(outgoing.deQueue()).flatMap(item -> Mono.fromRunnable(() -> {
                try {
                    Thread.sleep(1 + ThreadLocalRandom.current().nextInt(50));
                    Mail mail = item.getMail();
                    if (ThreadLocalRandom.current().nextInt(100) == 0 && mail.getAttribute(
                        org.apache.mailet.AttributeName.of("repro.retried")).isEmpty()) {
                        mail.setAttribute(new org.apache.mailet.Attribute(
                            org.apache.mailet.AttributeName.of("repro.retried"), org.apache.mailet.AttributeValue.of(true)));
                        outgoing.enQueue(mail, Duration.ofSeconds(2));
                        retries.incrementAndGet();
                    } else {
                        delivered.add(mail.getName());
                    }
                    item.done(CompletionStatus.SUCCESS);
                } catch (Exception e) {
                    System.out.println("delivery: " + e);
                }
            }).subscribeOn(Schedulers.boundedElastic()), 256).subscribeOn(Schedulers.boundedElastic()).subscribe();
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    try {
                        spool.getSize();
                        outgoing.getSize();
                        ManageableMailQueue.MailQueueIterator it = outgoing.browse();
                        for (int i = 0; i < 1000 && it.hasNext(); i++) {
                            it.next();
                        }
                        it.close();
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the shared-session race shows here, if anywhere
                        System.out.println("poller: " + e);
                    }
                }
            }, "repro-poller");
            poller.setDaemon(true);
            poller.start();
            long n = 0;
            long started = System.nanoTime();
            String verdict = null;
            while (n < maxMails && System.nanoTime() < deadline && verdict == null) {
                for (int i = 0; i < batch; i++, n++) {
                    String name = "repro-" + n;
                    MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject(name).setText(text)
                        .addFrom("s@example.org").addToRecipient("r@example.com").build();
                    spool.enQueue(MailImpl.builder().name(name).sender("s@example.org")
                        .addRecipient(new MailAddress("r@example.com")).mimeMessage(message).build());
                    sent.add(name);
                    long due = started + (n + 1) * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (delivered.size() < sent.size() && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                if (delivered.size() < sent.size()) {
                    Set<String> missing = ConcurrentHashMap.newKeySet();
                    missing.addAll(sent);
                    missing.removeAll(delivered);
                    StringBuilder out = new StringBuilder("STUCK after " + n + " mails: " + missing.size() + " missing\n");
                    BrokerQueueInspector probe = new BrokerQueueInspector(q.broker.service());
                    for (String name : missing.stream().limit(5).toList()) {
                        for (String queue : new String[] {"spool", "outgoing"}) {
                            BrokerQueueInspector.Finding f = probe.classify(queue, name);
                            if (f.state() != StuckMailState.GONE) {
                                out.append("  ").append(name).append(" in ").append(queue).append(": ").append(f.state())
                                    .append(' ').append(f.detail()).append('\n');
                            }
                        }
                    }
                    out.append("  dead letters: ").append(probe.deadLetters());
                    verdict = out.toString();
                }
                System.out.printf("%s: %d mails sent, %d delivered, %d retries, %.0f s%n", hardened ? "hardened" : "stock",
                    n, delivered.size(), retries.get(), (System.nanoTime() - started) / 1e9);
            }
            polling.set(false);
            spooler.dispose();
            delivery.dispose();
            System.out.println(verdict != null ? verdict : "NONE stuck in " + n + " mails ("
                + (hardened ? "hardened" : "stock") + ")");
        }
        System.exit(0);
    }

    private QueueStuckRepro() {
    }

}
