package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;

/**
 * The node's memory budget for whole-message work ({@link MailMemoryBudget}), from {@code sealgate.properties};
 * every key is optional.
 *
 * @param percent     share of the maximum heap ({@code memory.mail-budget-percent}, 1-90, default 40)
 * @param weight      heap bytes per message byte while a step works on a mail ({@code memory.mail-weight}, 6)
 * @param waitSeconds longest wait for room before the mail is held ({@code memory.mail-wait-seconds}, 600)
 */
record MailBudgetSettings(int percent, int weight, int waitSeconds) {
    static final MailBudgetSettings DEFAULTS = new MailBudgetSettings(MailMemoryBudgets.DEFAULT_PERCENT,
        MailMemoryBudgets.DEFAULT_WEIGHT, (int) MailMemoryBudgets.DEFAULT_MAX_WAIT.toSeconds());

    static MailBudgetSettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            MailBudgetSettings settings = new MailBudgetSettings(
                LimitSettings.number(p, "memory.mail-budget-percent", DEFAULTS.percent()),
                LimitSettings.number(p, "memory.mail-weight", DEFAULTS.weight()),
                LimitSettings.number(p, "memory.mail-wait-seconds", DEFAULTS.waitSeconds()));
            settings.budget();
            return settings;
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** The budget these settings describe, sized from this JVM's maximum heap. */
    MailMemoryBudget budget() {
        return MailMemoryBudgets.ofHeap(percent, weight, Duration.ofSeconds(waitSeconds));
    }
}
