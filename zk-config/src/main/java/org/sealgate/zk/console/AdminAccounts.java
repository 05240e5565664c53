package org.sealgate.zk.console;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.session.InvalidSealException;
import org.sealgate.gina.session.SealedBox;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStoreException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin web console's accounts, one znode each under {@value #ROOT} with an ACL that gives the ZooKeeper
 * admin identity everything and nobody else anything (nodes and the GINA portal cannot even read it). A znode
 * holds the Argon2id password hash, the TOTP secret sealed (AES-256-GCM) under the console's key ring, and the
 * last TOTP step accepted; that step is advanced with a version-checked write, so a code is accepted once, even
 * when two consoles see it at the same moment.
 */
public final class AdminAccounts {
    public static final String ROOT = "/console/admins";
    public static final String ISSUER = "Sealgate";
    public static final int MIN_PASSWORD_CHARS = 12;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 4;

    private final CuratorFramework client;
    private final List<ACL> acl;
    private final PasswordHasher hasher;
    private final KeyRing totpKeys;
    private final Clock clock;

    /**
     * @param client   started, authenticated as the ZooKeeper admin identity
     * @param admin    that identity: the only one on the accounts' ACL
     * @param totpKeys the console's key ring sealing TOTP secrets (a ZooKeeper backup alone does not reveal them)
     */
    public AdminAccounts(CuratorFramework client, Id admin, PasswordHasher hasher, KeyRing totpKeys, Clock clock) {
        this.client = client;
        this.acl = new ArrayList<>(List.of(new ACL(Perms.ALL, admin)));
        this.hasher = hasher;
        this.totpKeys = totpKeys;
        this.clock = clock;
    }

    /** What the new admin enters in an authenticator app; shown once, never stored in clear. */
    public record Enrollment(String name, String secretBase32, String otpauthUri) {
        @Override
        public String toString() {
            return "enrollment of " + name + " (secret hidden)";
        }
    }

    /** Why a login failed, for the audit trail; the visitor sees one message for all of them. */
    public enum Outcome { ACCEPTED, UNKNOWN_ADMIN, WRONG_PASSWORD, WRONG_CODE, REPLAYED_CODE }

    record Stored(String name, String password, String totp, long lastStep, String created) {
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Creates the account; refuses an existing name, a name that is not plain, or a short password. */
    public Enrollment create(String name, String password) throws ConfigStoreException {
        if (!validName(name)) {
            throw new IllegalArgumentException("admin name '" + name + "' is not plain: lower-case letters, digits, . _ -, up to 32");
        }
        if (password == null || password.length() < MIN_PASSWORD_CHARS) {
            throw new IllegalArgumentException("an admin password has at least " + MIN_PASSWORD_CHARS + " characters");
        }
        byte[] secret = Totp.newSecret();
        Stored stored = new Stored(name, hasher.hash(password), box(name).seal(secret), -1, clock.instant().toString());
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).withACL(acl, true)
                .forPath(path(name), JSON.writeValueAsBytes(stored));
        } catch (KeeperException.NodeExistsException e) {
            throw new ConfigStoreException("there is already an admin named " + name, e);
        } catch (Exception e) {
            throw storeException("cannot create admin " + name, e);
        }
        return new Enrollment(name, Totp.base32(secret), Totp.otpauthUri(ISSUER, name, secret));
    }

    /** Password (Argon2id), then the TOTP code (RFC 6238, ±1 step, each step once). Spends the same work for an unknown name. */
    public Outcome login(String name, String password, String code) throws ConfigStoreException {
        if (!validName(name)) {
            hasher.burn(password == null ? "" : password);
            return Outcome.UNKNOWN_ADMIN;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            Stored stored;
            try {
                stored = JSON.readValue(client.getData().storingStatIn(stat).forPath(path(name)), Stored.class);
            } catch (KeeperException.NoNodeException e) {
                hasher.burn(password == null ? "" : password);
                return Outcome.UNKNOWN_ADMIN;
            } catch (Exception e) {
                throw storeException("cannot read admin " + name, e);
            }
            if (attempt == 0 && !hasher.verify(password == null ? "" : password, stored.password())) {
                return Outcome.WRONG_PASSWORD;
            }
            byte[] secret;
            try {
                secret = box(name).open(stored.totp());
            } catch (InvalidSealException e) {
                throw new ConfigStoreException("the TOTP secret of admin " + name + " cannot be opened with the console's key ring", e);
            }
            OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
            if (step.isEmpty()) {
                return Outcome.WRONG_CODE;
            }
            if (step.getAsLong() <= stored.lastStep()) {
                return Outcome.REPLAYED_CODE;
            }
            Stored next = new Stored(stored.name(), stored.password(), stored.totp(), step.getAsLong(), stored.created());
            try {
                client.setData().withVersion(stat.getVersion()).forPath(path(name), JSON.writeValueAsBytes(next));
                return Outcome.ACCEPTED;
            } catch (KeeperException.BadVersionException e) {
                // Someone else logged in (or changed the account) meanwhile: look again; the same code is then a replay.
            } catch (Exception e) {
                throw storeException("cannot record the login of admin " + name, e);
            }
        }
        throw new ConfigStoreException("the account of admin " + name + " keeps changing; try again", null);
    }

    /** Every admin's name, sorted. */
    public List<String> names() throws ConfigStoreException {
        try {
            List<String> names = new ArrayList<>(client.getChildren().forPath(ROOT));
            names.sort(null);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw storeException("cannot list " + ROOT, e);
        }
    }

    public boolean exists(String name) throws ConfigStoreException {
        try {
            return validName(name) && client.checkExists().forPath(path(name)) != null;
        } catch (Exception e) {
            throw storeException("cannot read admin " + name, e);
        }
    }

    private SealedBox box(String name) {
        // The name is in the associated data: a secret copied onto another account does not open.
        return new SealedBox(totpKeys, "console-totp/" + name);
    }

    private static String path(String name) {
        return ROOT + "/" + name;
    }

    private static ConfigStoreException storeException(String what, Exception e) {
        if (e instanceof KeeperException.NoAuthException) {
            return new ConfigAccessDeniedException(what + ": not allowed for this identity (ZooKeeper NoAuth);"
                + " the console's accounts need the admin credentials", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof IOException) {
            return new ConfigStoreException(what + ": unreadable account data", e);
        }
        return new ConfigStoreException(what + ": " + e, e);
    }

}
