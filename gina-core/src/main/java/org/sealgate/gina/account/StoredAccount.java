package org.sealgate.gina.account;

/** An account together with the store version it was read at (the ZooKeeper data version). */
public record StoredAccount(GinaAccount account, int version) {
}
