package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sealgate.zk.tls.ZkTlsAuthority;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * A joining node's ZooKeeper TLS identity, as {@code cluster tls-issue} wrote it on the admin's machine: the client
 * file {@code NAME.properties} names the key store, its password file and the CA; the three are checked (owner-only
 * password file, a key in the store) and copied owner-only into {@code DATA/zk-tls}, where the node's
 * {@code zk.tls.*} keys point. The CA's private key is never among them.
 */
final class ClusterTlsImport {
    static final List<String> KEYS = List.of(ZkTlsSettings.KEYSTORE, ZkTlsSettings.KEYSTORE_PASSWORD_FILE,
        ZkTlsSettings.TRUSTSTORE, ZkTlsSettings.TRUSTSTORE_PASSWORD_FILE, ZkTlsSettings.HOSTNAME_VERIFICATION);

    private ClusterTlsImport() {
    }

    /** Copies the identity into {@code pki}; returns the {@code zk.tls.*} keys, paths relative to {@code pki}'s parent. */
    static Map<String, String> importIdentity(Path clientFile, Path pki) throws IOException {
        if (!Files.isRegularFile(clientFile)) {
            throw new Arguments.UsageException("setup: zk.tls.identity: no such file " + clientFile);
        }
        ZkTlsSettings source = ZkTlsSettings.fromFile(clientFile);
        source.check();
        if (!source.keystore().toString().endsWith(".p12") || !source.truststore().toString().endsWith(".pem")) {
            throw new Arguments.UsageException("setup: zk.tls.identity must name a .p12 key store and a PEM CA, as"
                + " cluster tls-issue writes them");
        }
        SetupWriter.createDirectory(pki, "rwx------");
        String name = source.keystore().getFileName().toString();
        copy(source.keystore(), pki.resolve(name));
        copy(source.keystorePasswordFile(), pki.resolve(name + ".password"));
        copy(source.truststore(), pki.resolve(ZkTlsAuthority.CA_CERTIFICATE));
        Path base = pki.getParent();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ZkTlsSettings.KEYSTORE, base.relativize(pki.resolve(name)).toString());
        keys.put(ZkTlsSettings.KEYSTORE_PASSWORD_FILE, base.relativize(pki.resolve(name + ".password")).toString());
        keys.put(ZkTlsSettings.TRUSTSTORE, base.relativize(pki.resolve(ZkTlsAuthority.CA_CERTIFICATE)).toString());
        keys.put(ZkTlsSettings.HOSTNAME_VERIFICATION, "true");
        return keys;
    }

    private static void copy(Path source, Path target) throws IOException {
        if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            return;
        }
        Path temporary = target.resolveSibling("." + target.getFileName() + ".setup");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
