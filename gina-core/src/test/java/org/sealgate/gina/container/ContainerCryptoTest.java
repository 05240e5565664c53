package org.sealgate.gina.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.sealgate.gina.key.KeyRing;

class ContainerCryptoTest {
    private static final byte[] MIME = ("From: alice@sealgate.test\r\nTo: carol@partner.example\r\nSubject: hi\r\n\r\n"
        + "secret body\r\n").getBytes(StandardCharsets.US_ASCII);
    private final ContainerCrypto crypto = new ContainerCrypto();
    private final KeyRing ring = KeyRing.generate("k1");

    @Test
    void openShouldReturnTheOriginalBytesForTheRecipient() throws Exception {
        GinaContainer container = crypto.seal(MIME, "Carol@Partner.example", "<m1@sealgate.test>", ring);

        GinaContainer parsed = GinaContainer.fromBase64Url(container.toBase64Url());

        assertThat(parsed.recipient()).isEqualTo("carol@partner.example");
        assertThat(parsed.keyId()).isEqualTo("k1");
        assertThat(crypto.open(parsed, "<carol@partner.example>", ring)).isEqualTo(MIME);
    }

    @Test
    void openShouldFailIntegrityWhenCiphertextIsChanged() throws Exception {
        byte[] bytes = crypto.seal(MIME, "carol@partner.example", "m1", ring).toBytes();
        bytes[bytes.length - 20] ^= 1;

        assertFailure(GinaContainer.parse(bytes), "carol@partner.example", ring, ContainerFailure.INTEGRITY);
    }

    @Test
    void openShouldFailIntegrityWhenHeaderRecipientIsRewritten() throws Exception {
        GinaContainer sealed = crypto.seal(MIME, "carol@partner.example", "m1", ring);
        GinaContainer rewritten = new GinaContainer(sealed.version(), sealed.keyId(), "mallory@partner.example",
            sealed.messageId(), sealed.sealedAt(), sealed.wrapNonce(), sealed.wrappedKey(), sealed.contentNonce(),
            sealed.ciphertext());

        assertFailure(GinaContainer.parse(rewritten.toBytes()), "mallory@partner.example", ring, ContainerFailure.INTEGRITY);
    }

    @Test
    void openShouldFailWhenLoggedInAsAnotherRecipient() throws Exception {
        assertFailure(crypto.seal(MIME, "carol@partner.example", "m1", ring), "dave@partner.example", ring,
            ContainerFailure.WRONG_RECIPIENT);
    }

    @Test
    void openShouldFailForUnknownKeyId() throws Exception {
        assertFailure(crypto.seal(MIME, "carol@partner.example", "m1", ring), "carol@partner.example",
            KeyRing.generate("other"), ContainerFailure.UNKNOWN_KEY);
    }

    @Test
    void oldContainersShouldOpenAfterRotationUntilTheirKeyIsRetired() throws Exception {
        GinaContainer old = crypto.seal(MIME, "carol@partner.example", "m1", ring);
        KeyRing rotated = ring.rotate("k2");
        GinaContainer fresh = crypto.seal(MIME, "carol@partner.example", "m2", rotated);

        assertThat(fresh.keyId()).isEqualTo("k2");
        assertThat(crypto.open(old, "carol@partner.example", rotated)).isEqualTo(MIME);
        assertFailure(old, "carol@partner.example", rotated.retire("k1"), ContainerFailure.RETIRED_KEY);
        assertThat(crypto.open(fresh, "carol@partner.example", rotated.retire("k1"))).isEqualTo(MIME);
    }

    @Test
    void parseShouldRefuseTruncatedGarbledAndFutureContainers() {
        byte[] bytes = crypto.seal(MIME, "carol@partner.example", "m1", ring).toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        byte[] future = bytes.clone();
        future[6] = 2;

        assertThatThrownBy(() -> GinaContainer.parse(truncated)).isInstanceOfSatisfying(ContainerException.class,
            e -> assertThat(e.failure()).isEqualTo(ContainerFailure.MALFORMED));
        assertThatThrownBy(() -> GinaContainer.parse(future)).isInstanceOfSatisfying(ContainerException.class,
            e -> assertThat(e.failure()).isEqualTo(ContainerFailure.UNSUPPORTED_VERSION));
        assertThatThrownBy(() -> GinaContainer.fromBase64Url("not base64 !")).isInstanceOfSatisfying(ContainerException.class,
            e -> assertThat(e.failure()).isEqualTo(ContainerFailure.MALFORMED));
    }

    @Test
    void pageShouldCarryTheContainerAndPostItToThePortal() throws Exception {
        GinaContainer container = crypto.seal(MIME, "carol@partner.example", "m1", ring);

        String html = SecureMessagePage.render(container, URI.create("https://gina.sealgate.test:8443/"),
            "Secure message <from Sealgate>", "Line one\nLine two");

        assertThat(html).contains("action=\"https://gina.sealgate.test:8443/open\"")
            .contains("Secure message &lt;from Sealgate&gt;").contains("Line one<br>").doesNotContain("secret body");
        assertThat(SecureMessagePage.portalOf(html)).isEqualTo(URI.create("https://gina.sealgate.test:8443"));
        assertThat(crypto.open(SecureMessagePage.extract(html), "carol@partner.example", ring)).isEqualTo(MIME);
        assertThatThrownBy(() -> SecureMessagePage.render(container, URI.create("http://gina.sealgate.test/"), "t", "n"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageShouldHoldTheContainerAsOneRunAndTheContainerShouldOpenEvenWhenSomethingWrappedIt() throws Exception {
        byte[] large = new byte[5000];
        new java.util.Random(1).nextBytes(large);
        GinaContainer container = crypto.seal(large, "carol@partner.example", "m1", ring);

        SecureMessagePage.Page page = SecureMessagePage.renderPage(container, URI.create("https://gina.sealgate.test:8443/"),
            "t", "n");

        String html = new String(page.bytes(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContainPattern("[^\\r]\\n");   // CRLF line ends only
        String run = html.substring(page.containerFrom(), page.containerTo());
        assertThat(run).isEqualTo(container.toBase64Url()).matches("[A-Za-z0-9_-]+");
        assertThat(html.substring(0, page.containerFrom())).endsWith("name=\"container\" value=\"");
        assertThat(html.substring(page.containerTo())).startsWith("\">");
        String wrapped = String.join("\r\n", run.split("(?<=\\G.{76})"));   // as a tool or client might wrap it
        assertThat(crypto.open(GinaContainer.fromBase64Url("\r\n" + wrapped + "\r\n"), "carol@partner.example", ring))
            .isEqualTo(large);
        assertThat(crypto.open(SecureMessagePage.extract(html.replace(run, wrapped)), "carol@partner.example", ring))
            .isEqualTo(large);
        assertThatThrownBy(() -> GinaContainer.fromBase64Url(wrapped.replace("\r\n", "\r\n\u00a0")))
            .isInstanceOfSatisfying(ContainerException.class, e -> assertThat(e.failure()).isEqualTo(ContainerFailure.MALFORMED));
    }

    private void assertFailure(GinaContainer container, String recipient, KeyRing keys, ContainerFailure expected) {
        assertThatThrownBy(() -> crypto.open(container, recipient, keys)).isInstanceOfSatisfying(ContainerException.class,
            e -> assertThat(e.failure()).isEqualTo(expected));
    }
}
