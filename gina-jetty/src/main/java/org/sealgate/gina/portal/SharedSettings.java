package org.sealgate.gina.portal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.sealgate.gina.session.SessionTokens;
import org.sealgate.zk.config.GinaSettings;
import org.sealgate.zk.store.GinaSettingsNode;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal settings every portal must agree on (session lifetimes, first-password lifetime, self-service reset,
 * replies per hour): the cluster document's, published by every apply as {@value ZkLayout#GINA_SETTINGS} (the
 * portal's identity may read that, never {@code /config}), else {@code gina.properties}'. The document wins; a
 * change applies to the next login, first-password registration and reply, without a restart. A ZooKeeper outage
 * keeps the last values; a missing znode (a standalone portal, a cluster whose admin has not applied since)
 * means the local file's. Lifecycle: {@link #start} once, {@link #close} idempotent.
 */
public final class SharedSettings implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedSettings.class);
    private static final Duration FIRST_LOAD = Duration.ofSeconds(5);

    /** The values in force; {@code version} is the configuration version they come from, 0 for the local file. */
    public record Values(int version, SessionTokens.Lifetimes session, Duration firstPasswordLifetime,
                         boolean selfServiceReset, int repliesPerHour) {
    }

    private final Values local;
    private final AtomicReference<Values> current;
    private final CuratorCache cache;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    private SharedSettings(Values local, CuratorCache cache) {
        this.local = local;
        this.current = new AtomicReference<>(local);
        this.cache = cache;
    }

    /** The local file's values only (tests, tools). */
    public static SharedSettings fixed(PortalSettings settings) {
        return new SharedSettings(local(settings), null);
    }

    /** Watches {@value ZkLayout#GINA_SETTINGS} through the portal's started client; not started yet. */
    public static SharedSettings watching(CuratorFramework client, PortalSettings settings) {
        return new SharedSettings(local(settings),
            CuratorCache.build(client, ZkLayout.GINA_SETTINGS, CuratorCache.Options.SINGLE_NODE_CACHE));
    }

    static Values local(PortalSettings settings) {
        return new Values(0, new SessionTokens.Lifetimes(settings.sessionLifetime(), settings.sessionMaxLifetime()),
            settings.firstPasswordLifetime(), settings.selfServiceReset(), settings.repliesPerHour());
    }

    /** Starts watching and waits up to 5 s for the first read, so the first sessions already use the document's values. */
    public void start() throws InterruptedException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            started = true;
            if (cache == null) {
                return;
            }
            cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> changed(Optional.of(after)))
                .forDeletes(gone -> changed(Optional.empty()))
                .forInitialized(loaded::countDown)
                .build());
            cache.start();
        }
        if (!loaded.await(FIRST_LOAD.toMillis(), TimeUnit.MILLISECONDS)) {
            LOGGER.warn("GINA: {} not read within {} s (ZooKeeper unreachable?); using gina.properties until it is",
                ZkLayout.GINA_SETTINGS, FIRST_LOAD.toSeconds());
        }
    }

    public Values current() {
        return current.get();
    }

    private void changed(Optional<ChildData> data) {
        if (data.isEmpty()) {
            LOGGER.info("GINA: {} was removed; the portal uses gina.properties' session, first-password, reset and"
                + " reply settings", ZkLayout.GINA_SETTINGS);
            current.set(local);
            return;
        }
        GinaSettingsNode node;
        try {
            node = GinaSettingsNode.decode(data.get().getData());
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("GINA: {} is unreadable ({}); keeping the settings of version {}", ZkLayout.GINA_SETTINGS,
                e.getMessage(), current.get().version());
            return;
        }
        GinaSettings doc = node.settings();
        Values next;
        try {
            next = new Values(node.version(), new SessionTokens.Lifetimes(Duration.ofMinutes(doc.sessionMinutes()),
                Duration.ofHours(doc.sessionMaxHours())), Duration.ofDays(doc.firstPasswordDays()),
                doc.selfServiceReset(), doc.repliesPerHour());
            if (next.firstPasswordLifetime().isZero() || next.firstPasswordLifetime().isNegative() || next.repliesPerHour() < 1) {
                throw new IllegalArgumentException("non-positive first-password-days or replies-per-hour");
            }
        } catch (IllegalArgumentException e) {
            LOGGER.warn("GINA: {} of version {} is out of range ({}); keeping the settings of version {}",
                ZkLayout.GINA_SETTINGS, node.version(), e.getMessage(), current.get().version());
            return;
        }
        List<String> overridden = new ArrayList<>();
        compare(overridden, "session.minutes", local.session().lifetime().toMinutes(), doc.sessionMinutes());
        compare(overridden, "session.max-hours", local.session().maxLifetime().toHours(), doc.sessionMaxHours());
        compare(overridden, "first-password.days", local.firstPasswordLifetime().toDays(), doc.firstPasswordDays());
        compare(overridden, "self-service-reset", local.selfServiceReset(), doc.selfServiceReset());
        compare(overridden, "reply.max-per-hour", local.repliesPerHour(), doc.repliesPerHour());
        current.set(next);
        LOGGER.info("GINA: session, first-password, reset and reply settings from the cluster document, version {}{}",
            node.version(), overridden.isEmpty() ? " (same as gina.properties)"
                : "; the document wins over gina.properties: " + String.join(", ", overridden));
    }

    private static void compare(List<String> overridden, String key, Object local, Object document) {
        if (!String.valueOf(local).equals(String.valueOf(document))) {
            overridden.add(key + "=" + local + " -> " + document);
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (cache != null && started) {
                cache.close();
            }
        }
    }
}
