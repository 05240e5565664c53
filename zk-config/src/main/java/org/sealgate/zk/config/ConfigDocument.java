package org.sealgate.zk.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated configuration document: the text exactly as the administrator wrote it (comments included, so
 * {@code show} and {@code diff} give it back unchanged) and the model read from it.
 *
 * <pre>
 * schema-version: 1
 * domains:
 *   - name: example.com
 *     encrypt: required            # off | opportunistic | required
 *     sign: true
 *     content-encryption: aes256-gcm   # aes256-gcm | aes256-cbc
 *     rsa-key-transport: oaep      # oaep | pkcs1
 *     unencryptable: bounce        # bounce | hold
 *     tls: required                # opportunistic | required | verified
 * trusted-networks: [10.0.0.0/8]
 * next-hop: mail.internal.example:25
 * gina: {host-name: gina.example.com, port: 8443}
 * vip: {address: 198.18.0.100, interface: eth0, virtual-router-id: 51}
 * nodes:
 *   - {id: node-a, addresses: [198.18.0.9], role: primary, priority: 150}
 *   - {id: node-b, addresses: [198.18.0.10], role: secondary, priority: 100}
 * </pre>
 */
public record ConfigDocument(String text, ClusterConfig config) {

    /** ZooKeeper refuses znodes over 1 MiB (jute.maxbuffer); stay well below so history entries fit too. */
    public static final int MAX_BYTES = 256 * 1024;

    public static ConfigDocument parse(String text) throws InvalidConfigException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses and validates; every schema and semantic error is collected, sorted by line, and thrown at once. */
    public static ConfigDocument parse(byte[] bytes) throws InvalidConfigException {
        List<ConfigError> errors = new ArrayList<>();
        if (bytes.length > MAX_BYTES) {
            throw new InvalidConfigException(List.of(new ConfigError("", 1, 1,
                "the document has " + bytes.length + " bytes, more than the " + MAX_BYTES + " allowed")));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidConfigException(List.of(new ConfigError("", 1, 1,
                "the document is not UTF-8 text; it may be garbled or binary")));
        }
        YamlTree.Node root = YamlTree.read(bytes, errors);
        ClusterConfig config = null;
        if (root != null) {
            config = new RecordBinder(errors).bind(ClusterConfig.class, root);
            if (config != null) {
                new SemanticChecks(root, errors).check(config);
            }
        }
        if (!errors.isEmpty() || config == null) {
            errors.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new InvalidConfigException(errors);
        }
        return new ConfigDocument(text, config);
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public String sha256() {
        return sha256(bytes());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
