package org.sealgate.routes.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WkdHashTest {

    @Test
    void hashShouldMatchTheDraftsExampleAndIgnoreCase() {
        // draft-koch-openpgp-webkey-service: Joe.Doe@Example.ORG -> iy9q119eutrkn8s1mk4r39qejnbu3n5q
        assertThat(WkdHash.of("Joe.Doe")).isEqualTo("iy9q119eutrkn8s1mk4r39qejnbu3n5q");
        assertThat(WkdHash.of("joe.doe")).isEqualTo("iy9q119eutrkn8s1mk4r39qejnbu3n5q");
    }
}
