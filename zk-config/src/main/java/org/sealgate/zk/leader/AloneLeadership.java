package org.sealgate.zk.leader;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.listen.Listenable;
import org.apache.curator.framework.listen.StandardListenerManager;

/** The standalone node's leadership: leader while started, as there is nobody to share the jobs with. */
final class AloneLeadership implements JobLeadership {
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final StandardListenerManager<LeadershipListener> listeners = StandardListenerManager.standard();

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a JobLeadership starts once; this one is " + state.get());
        }
        listeners.forEach(listener -> listener.leadershipChanged(true));
    }

    @Override
    public boolean isLeader() {
        return state.get() == State.STARTED;
    }

    @Override
    public Listenable<LeadershipListener> listenable() {
        return listeners;
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            listeners.forEach(listener -> listener.leadershipChanged(false));
            listeners.clear();
        }
    }
}
