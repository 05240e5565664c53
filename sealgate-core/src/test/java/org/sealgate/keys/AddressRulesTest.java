package org.sealgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** GINA's account addresses (gina-core, below this module) follow the gateway's one address rule. */
class AddressRulesTest {

    @Test
    void ginaAccountAddressesShouldNormaliseExactlyAsTheGatewayDoes() {
        for (String address : List.of("Ron@PGP.example", " <Erin@NewComer.Example> ", "TITLE@İSTANBUL.example",
            "a.b+tag@Sub.Domain.Example")) {
            assertThat(org.sealgate.gina.container.Addresses.normalise(address)).as(address)
                .isEqualTo(Addresses.normalise(address));
        }
    }
}
