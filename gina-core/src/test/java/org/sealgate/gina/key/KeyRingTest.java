package org.sealgate.gina.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
    @TempDir
    Path dir;

    @Test
    void savedRingShouldLoadWithTheSameKeysAndBeOwnerOnly() throws Exception {
        KeyRing ring = KeyRing.generate("2026-10").rotate("2026-11").retire("2026-10").rotate("2026-12");
        Path file = dir.resolve("gina.keys");

        ring.save(file);
        KeyRing loaded = KeyRing.load(file);

        assertThat(loaded.currentId()).isEqualTo("2026-12");
        assertThat(loaded.currentKey().getEncoded()).isEqualTo(ring.currentKey().getEncoded());
        assertThat(loaded.lookup("2026-11").result()).isEqualTo(KeyRing.LookupResult.FOUND);
        assertThat(loaded.lookup("2026-10").result()).isEqualTo(KeyRing.LookupResult.RETIRED);
        assertThat(loaded.lookup("nope").result()).isEqualTo(KeyRing.LookupResult.UNKNOWN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void toStringShouldNameIdsButNeverKeyBytes() {
        KeyRing ring = KeyRing.generate("k1");
        String key = Base64.getEncoder().encodeToString(ring.currentKey().getEncoded());

        assertThat(ring.toString()).contains("k1").doesNotContain(key);
    }

    @Test
    void loadShouldRefuseRingsWithoutCurrentKeyOrWithShortKeysWithoutQuotingThem() throws IOException {
        Path noCurrent = Files.writeString(dir.resolve("a"), "key.k1=" + b64(32) + "\n");
        Path shortKey = Files.writeString(dir.resolve("b"), "current=k1\nkey.k1=" + b64(16) + "\n");
        Path retiredCurrent = Files.writeString(dir.resolve("c"), "current=k1\nkey.k1=" + b64(32) + "\nretired=k1\n");
        Path garbled = Files.writeString(dir.resolve("d"), "current=k1\nkey.k1=@@secret@@\n");

        assertThatThrownBy(() -> KeyRing.load(noCurrent)).hasMessageContaining("current");
        assertThatThrownBy(() -> KeyRing.load(shortKey)).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> KeyRing.load(retiredCurrent)).hasMessageContaining("retired");
        assertThatThrownBy(() -> KeyRing.load(garbled)).hasMessageContaining("not base64").hasMessageNotContaining("secret");
    }

    private static String b64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }
}
