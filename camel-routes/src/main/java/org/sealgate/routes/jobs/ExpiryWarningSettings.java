package org.sealgate.routes.jobs;

import java.util.List;
import java.util.TreeSet;

/**
 * @param adminAddress where warnings go
 * @param days         first warning this many days before expiry; then at 7 and 1 day(s) when shorter
 */
public record ExpiryWarningSettings(String adminAddress, int days) {

    public ExpiryWarningSettings {
        if (days < 1 || days > 365) {
            throw new IllegalArgumentException("expiry warning days must be between 1 and 365: " + days);
        }
    }

    /** The thresholds in days, largest first, e.g. [30, 7, 1]; 0 is the warning that a key has expired. */
    public List<Integer> thresholds() {
        TreeSet<Integer> thresholds = new TreeSet<>(java.util.Comparator.reverseOrder());
        thresholds.add(days);
        for (int extra : new int[] {7, 1, 0}) {
            if (extra < days) {
                thresholds.add(extra);
            }
        }
        return List.copyOf(thresholds);
    }
}
