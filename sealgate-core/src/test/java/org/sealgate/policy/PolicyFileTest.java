package org.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;

class PolicyFileTest {
    private static final EncryptionPolicy CBC = EncryptionPolicy.DEFAULT.withContent(ContentEncryption.AES256_CBC);
    private static final EncryptionPolicy PKCS1 = EncryptionPolicy.DEFAULT.withRsa(RsaKeyTransport.PKCS1_V15);

    /** What a domain gets, in the four settings these tables look at. */
    record DomainView(EncryptionMode encryption, boolean sign, EncryptionPolicy cms, Fallback fallback) {
        static final DomainView DEFAULT = of(PolicySettings.builtIn());

        static DomainView of(PolicySettings settings) {
            return new DomainView(settings.encryption(), settings.sign(), settings.cms(), settings.fallback());
        }
    }

    private static DomainView policy(EncryptionMode mode, boolean sign, EncryptionPolicy cms, Fallback fallback) {
        return new DomainView(mode, sign, cms, fallback);
    }

    static Stream<Arguments> documents() {
        DomainView def = DomainView.DEFAULT;
        return Stream.of(
            Arguments.of("empty file gives the built-in defaults", List.of(), "any.test", def),
            Arguments.of("only comments and blank lines", List.of("# a comment", "   ", "\t# indented"), "any.test", def),
            Arguments.of("built-in default is opportunistic, signing, GCM, OAEP, bounce", List.of(), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("default.encrypt", List.of("default.encrypt = required"), "x.test",
                policy(EncryptionMode.REQUIRED, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("default.sign off", List.of("default.sign = off"), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, false, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("default.sign on", List.of("default.sign = false", "domain.x.test.sign = on"), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("default.content-encryption", List.of("default.content-encryption = aes256-cbc"), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, true, CBC, Fallback.BOUNCE)),
            Arguments.of("default.rsa-key-transport", List.of("default.rsa-key-transport = pkcs1"), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, true, PKCS1, Fallback.BOUNCE)),
            Arguments.of("default.unencryptable", List.of("default.unencryptable = hold"), "x.test",
                policy(EncryptionMode.OPPORTUNISTIC, true, EncryptionPolicy.DEFAULT, Fallback.HOLD)),
            Arguments.of("a domain override inherits the file's defaults for unspecified settings",
                List.of("default.encrypt = required", "default.unencryptable = hold", "default.sign = false",
                    "domain.legacy.test.content-encryption = aes256-cbc"), "legacy.test",
                policy(EncryptionMode.REQUIRED, false, CBC, Fallback.HOLD)),
            Arguments.of("defaults written after the domain line are still inherited",
                List.of("domain.legacy.test.content-encryption = aes256-cbc", "default.encrypt = off"), "legacy.test",
                policy(EncryptionMode.OFF, true, CBC, Fallback.BOUNCE)),
            Arguments.of("other domains keep the defaults",
                List.of("default.encrypt = required", "domain.legacy.test.encrypt = off"), "partner.test",
                policy(EncryptionMode.REQUIRED, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("keys, values and the looked-up domain are case-insensitive",
                List.of("DOMAIN.Partner.Test.Encrypt = REQUIRED", "Default.Unencryptable = Hold"), "PARTNER.test",
                policy(EncryptionMode.REQUIRED, true, EncryptionPolicy.DEFAULT, Fallback.HOLD)),
            Arguments.of("trailing comments and spaces around '=' are ignored",
                List.of("  domain.partner.test.encrypt=required   # they insist", "domain.partner.test.sign=false#x"),
                "partner.test", policy(EncryptionMode.REQUIRED, false, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("a domain name with several labels", List.of("domain.mail.eu.partner.test.encrypt = off"),
                "mail.eu.partner.test", policy(EncryptionMode.OFF, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)),
            Arguments.of("a subdomain does not inherit its parent's override", List.of("domain.partner.test.encrypt = off"),
                "eu.partner.test", DomainView.DEFAULT),
            Arguments.of("the later line wins", List.of("default.encrypt = off", "default.encrypt = required"), "x.test",
                policy(EncryptionMode.REQUIRED, true, EncryptionPolicy.DEFAULT, Fallback.BOUNCE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void parseShouldResolveTheDomainPolicy(String name, List<String> lines, String domain, DomainView expected)
        throws Exception {
        assertThat(DomainView.of(PolicyFile.parse(lines).settingsForDomain(domain))).isEqualTo(expected);
    }

    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
            Arguments.of(List.of("default.encrypt = required", "default.colour = blue"), "line 2: unknown setting 'colour'"),
            Arguments.of(List.of("# header", "", "domain.x.test.encrypt = sometimes"),
                "line 3: 'encrypt' must be one of [off, opportunistic, required], got 'sometimes'"),
            Arguments.of(List.of("default.sign = yes"), "line 1: 'sign' must be one of"),
            Arguments.of(List.of("default.content-encryption = aes128-gcm"), "line 1: 'content-encryption' must be one of"),
            Arguments.of(List.of("default.rsa-key-transport = raw"), "line 1: 'rsa-key-transport' must be one of"),
            Arguments.of(List.of("default.unencryptable = drop"), "line 1: 'unencryptable' must be one of"),
            Arguments.of(List.of("default.encrypt = required", "default.sign"), "line 2: expected 'key = value'"),
            Arguments.of(List.of("encrypt = required"), "line 1: key must start with 'default.' or 'domain.<domain>.'"),
            Arguments.of(List.of("domain.encrypt = off"), "line 1: key must start with"),
            Arguments.of(List.of("default.encrypt = "), "line 1: 'encrypt' must be one of"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenDocuments")
    void parseShouldRefuseABrokenDocumentNamingTheLine(List<String> lines, String message) {
        assertThatThrownBy(() -> PolicyFile.parse(lines))
            .isInstanceOf(PolicyFile.PolicyException.class).hasMessageStartingWith(message);
    }

    @TempDir
    Path dir;

    private Path write(Path file, Instant modified, String... lines) throws Exception {
        Files.write(file, List.of(lines));
        // Set the time explicitly: two writes within the file system's timestamp granularity must still count.
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void aMissingFileGivesTheBuiltInDefaults() {
        assertThat(DomainView.of(new PolicyFile(dir.resolve("policy.properties")).settingsForDomain("x.test"))).isEqualTo(DomainView.DEFAULT);
    }

    @Test
    void changingTheFileChangesTheAnswer() throws Exception {
        Path file = write(dir.resolve("policy.properties"), Instant.parse("2026-01-01T00:00:00Z"),
            "domain.partner.test.encrypt = opportunistic");
        PolicyFile policy = new PolicyFile(file);
        assertThat(policy.settingsForDomain("partner.test").encryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);

        write(file, Instant.parse("2026-01-01T00:00:01Z"), "domain.partner.test.encrypt = required");

        assertThat(policy.settingsForDomain("partner.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    @Test
    void aFileCreatedAfterStartIsPickedUp() throws Exception {
        Path file = dir.resolve("policy.properties");
        PolicyFile policy = new PolicyFile(file);
        assertThat(DomainView.of(policy.settingsForDomain("partner.test"))).isEqualTo(DomainView.DEFAULT);

        write(file, Instant.parse("2026-01-01T00:00:00Z"), "default.unencryptable = hold");

        assertThat(policy.settingsForDomain("partner.test").fallback()).isEqualTo(Fallback.HOLD);
    }

    @Test
    void aBrokenEditIsRefusedAndThePreviousPolicyStays() throws Exception {
        Path file = write(dir.resolve("policy.properties"), Instant.parse("2026-01-01T00:00:00Z"),
            "default.encrypt = required", "domain.legacy.test.content-encryption = aes256-cbc");
        PolicyFile policy = new PolicyFile(file);
        PolicySettings before = policy.settingsForDomain("legacy.test");
        assertThat(before.encryption()).isEqualTo(EncryptionMode.REQUIRED);

        write(file, Instant.parse("2026-01-01T00:00:01Z"), "default.encrypt = off", "default.encrypt: required");

        assertThat(policy.settingsForDomain("legacy.test")).isEqualTo(before);
        assertThat(policy.settingsForDomain("other.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);

        write(file, Instant.parse("2026-01-01T00:00:02Z"), "default.encrypt = off");

        assertThat(policy.settingsForDomain("legacy.test").encryption()).isEqualTo(EncryptionMode.OFF);
        assertThat(policy.settingsForDomain("legacy.test").cms()).isEqualTo(EncryptionPolicy.DEFAULT);
    }

    @Test
    void aBrokenFileAtStartShouldLeaveNoPolicyInForceNamingTheLineUntilItIsFixed() throws Exception {
        Path file = write(dir.resolve("policy.properties"), Instant.parse("2026-01-01T00:00:00Z"),
            "default.sign = true", "default.encrypt = maybe");
        PolicyFile policy = new PolicyFile(file);

        assertThat(policy.unavailable()).hasValueSatisfying(cause -> assertThat(cause).contains("line 2"));

        // Fixed with the same modification time (as a restore from backup may do): still picked up.
        write(file, Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = required");
        assertThat(policy.unavailable()).isEmpty();
        assertThat(policy.settingsForDomain("x.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    @Test
    void anUnreadableFileAtStartShouldLeaveNoPolicyInForce() throws Exception {
        Path file = dir.resolve("policy.properties");
        Files.createDirectory(file);     // exists, but cannot be read as a file (works for root too)

        assertThat(new PolicyFile(file).unavailable()).hasValueSatisfying(cause -> assertThat(cause).contains("cannot be"));
    }

    @Test
    void aBrokenEditAfterAGoodLoadShouldKeepThePolicyAvailable() throws Exception {
        Path file = write(dir.resolve("policy.properties"), Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = required");
        PolicyFile policy = new PolicyFile(file);
        write(file, Instant.parse("2026-01-02T00:00:00Z"), "default.encrypt = maybe");

        assertThat(policy.unavailable()).isEmpty();
        assertThat(policy.settingsForDomain("x.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }

    @Test
    void aDeletedFileKeepsThePolicyInForce() throws Exception {
        Path file = write(dir.resolve("policy.properties"), Instant.parse("2026-01-01T00:00:00Z"), "default.encrypt = required");
        PolicyFile policy = new PolicyFile(file);

        Files.delete(file);

        assertThat(policy.settingsForDomain("x.test").encryption()).isEqualTo(EncryptionMode.REQUIRED);
    }
}
