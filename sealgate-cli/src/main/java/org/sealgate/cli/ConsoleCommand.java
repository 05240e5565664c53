package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.store.ConfigStoreException;

/**
 * {@code sealgate console add-admin NAME [--data DIR | --zk CONNECT --admin-credentials FILE] [--console-keys FILE]
 * [--password-file F]}: an administrator of the web console, in ZooKeeper under the admin identity only. The
 * password comes from a file or is generated; it and the TOTP secret (with its {@code otpauth://} URI for an
 * authenticator app) are printed once and stored only as an Argon2id hash and sealed under the console key ring
 * ({@code DATA/console/console.keys} by default, created when missing; every console needs the same file).
 * The console itself runs in its own JVM: {@code ./sealgate console --data DIR} ({@code org.sealgate.console.ConsoleMain}).
 */
final class ConsoleCommand {
    static final String KEYS_FILE = "console/console.keys";
    private static final Set<String> OPTIONS = Set.of(ZkTarget.ZK, ZkTarget.ADMIN_CREDENTIALS, ZkTarget.NODE_CREDENTIALS,
        ZkTarget.ZK_TLS, "data", "console-keys", "password-file");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsoleCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Arguments arguments = new Arguments(args, OPTIONS);
        String action = arguments.positional(0, "console action (add-admin NAME)");
        if (!action.equals("add-admin")) {
            throw new Arguments.UsageException("unknown console action '" + action
                + "' (add-admin NAME; the console itself: ./sealgate console --data DIR)");
        }
        String name = arguments.positional(1, "admin NAME");
        if (!AdminAccounts.validName(name)) {
            throw new Arguments.UsageException("admin name '" + name + "' is not plain: lower-case letters, digits, . _ -, up to 32");
        }
        boolean generated = arguments.option("password-file").isEmpty();
        String password = generated ? randomPassword() : readPassword(Paths.get(arguments.option("password-file").get()));
        Path keys = arguments.option("console-keys").map(Paths::get).orElse(arguments.dataDirectory().resolve(KEYS_FILE));
        ZkTarget target = ZkTarget.from(arguments);
        try (AdminSession session = AdminSession.open(target)) {
            AdminAccounts.Enrollment enrollment = accounts(session, keys).create(name, password);
            out.println("Console admin " + name + " created (shown only now; store it in a password manager):");
            if (generated) {
                out.println("  password:    " + password);
            }
            out.println("  TOTP secret: " + enrollment.secretBase32() + "   (RFC 6238, SHA-1, 30 s, 6 digits)");
            out.println("  " + enrollment.otpauthUri());
            out.println("The console's key ring (seals TOTP secrets) is " + keys + ": every console needs this file.");
            return 0;
        } catch (ConfigStoreException e) {
            err.println("sealgate: " + e.getMessage());
            return ConfigCommand.REFUSED;
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException(e.getMessage());
        }
    }

    static AdminAccounts accounts(AdminSession session, Path keys) throws IOException {
        return new AdminAccounts(session.client(), session.target().admin().identity(), PasswordHasher.STRONG,
            KeyRing.loadOrCreate(keys, "console-1"), Clock.systemUTC());
    }

    static String randomPassword() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readPassword(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Arguments.UsageException("no such password file: " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
