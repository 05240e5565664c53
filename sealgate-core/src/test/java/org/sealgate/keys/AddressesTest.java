package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The one address rule: the whole address, local part included, compared case-insensitively, locale-independent. */
class AddressesTest {

    @Test
    void addressesShouldMatchWhateverTheLetterCaseOfLocalPartAndDomain() {
        assertThat(Addresses.normalise(" <Ron@PGP.example> ")).isEqualTo("ron@pgp.example");
        assertThat(Addresses.same("Ron@PGP.example", "ron@pgp.EXAMPLE")).isTrue();
        assertThat(Addresses.same("ron@pgp.example", "ron2@pgp.example")).isFalse();
        assertThat(Addresses.domainOf("Ron@PGP.Example")).isEqualTo("pgp.example");
    }

    @Test
    void normaliseShouldNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertThat(Addresses.normalise("INFO@BILLING.example")).isEqualTo("info@billing.example");
        } finally {
            Locale.setDefault(before);
        }
    }
}
