package org.sealgate.routes.jobs;

/** Which warnings were sent, shared by every leader (ZooKeeper in a cluster), so a new leader does not repeat them. */
public interface WarningLedger {

    boolean sent(String warning) throws Exception;

    void remember(String warning) throws Exception;
}
