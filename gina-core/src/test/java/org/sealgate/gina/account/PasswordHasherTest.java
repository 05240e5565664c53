package org.sealgate.gina.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    @Test
    void strongHashShouldBeArgon2idPhcAndVerifyOnlyTheSamePassword() {
        String hash = PasswordHasher.STRONG.hash("correct horse battery");

        assertThat(hash).startsWith("$argon2id$v=19$m=65536,t=3,p=1$").doesNotContain("correct");
        assertThat(PasswordHasher.STRONG.verify("correct horse battery", hash)).isTrue();
        assertThat(PasswordHasher.STRONG.verify("correct horse batterY", hash)).isFalse();
        assertThat(PasswordHasher.STRONG.hash("correct horse battery")).isNotEqualTo(hash);   // fresh salt
    }

    @Test
    void hashShouldCarryItsParametersSoAnotherHasherVerifiesIt() {
        String weak = new PasswordHasher(1024, 1, 1).hash("pw-1234567");

        assertThat(PasswordHasher.STRONG.verify("pw-1234567", weak)).isTrue();
        assertThat(PasswordHasher.STRONG.verify("pw-1234567", "$argon2id$garbled")).isFalse();
        assertThat(PasswordHasher.STRONG.verify("pw-1234567", null)).isFalse();
    }
}
