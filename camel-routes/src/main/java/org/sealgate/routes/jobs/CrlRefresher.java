package org.sealgate.routes.jobs;

/** Refreshes the cluster's CRLs (fetch from distribution points before nextUpdate); supplied by the revocation code. */
@FunctionalInterface
public interface CrlRefresher {

    void refreshCrls();
}
