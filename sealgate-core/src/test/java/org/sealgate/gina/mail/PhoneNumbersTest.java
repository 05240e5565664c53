package org.sealgate.gina.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void parseShouldReadNumbersPerRecipientInInternationalForm() {
        assertThat(PhoneNumbers.parse("Carol@X.example=+41 79 123 45 67; dave@y.example = 0049 (151) 1234-5678",
            List.of("carol@x.example", "dave@y.example")))
            .isEqualTo(Map.of("carol@x.example", "+41791234567", "dave@y.example", "+4915112345678"));
    }

    @Test
    void aBareNumberShouldCountOnlyForAMailWithOneRecipient() {
        assertThat(PhoneNumbers.parse("+41 79 123 45 67", List.of("carol@x.example"))).containsEntry("carol@x.example", "+41791234567");
        assertThat(PhoneNumbers.parse("+41 79 123 45 67", List.of("carol@x.example", "dave@y.example"))).isEmpty();
    }

    @Test
    void numbersThatAreNotInternationalShouldBeIgnored() {
        assertThat(PhoneNumbers.parse("carol@x.example=079 123 45 67, dave@y.example=+12, erin@z.example=call me",
            List.of("carol@x.example"))).isEmpty();
        assertThat(PhoneNumbers.parse(null, List.of("carol@x.example"))).isEmpty();
    }

    @Test
    void maskedShouldKeepOnlyTheCountryPrefixAndTheLastTwoDigits() {
        assertThat(PhoneNumbers.masked("+41791234567")).isEqualTo("+41*******67");
    }
}
