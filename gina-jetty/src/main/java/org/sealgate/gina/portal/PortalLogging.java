package org.sealgate.gina.portal;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;

/**
 * The portal JVM's logging, set in code before anything logs (no logback.xml in the jar: the admin console reuses
 * this module and must not pick a portal configuration up). Serving: the console (the journal under systemd) and
 * {@code PORTAL_DIR/logs/portal.log} ({@code DATA/gina/logs}), rolled daily and at 20 MB, as the node's {@code node.log}; Sealgate at INFO
 * (one line per request that matters, from {@link AuditLog}), libraries at WARN. Commands that answer and end:
 * errors only, unless {@code --verbose}.
 */
final class PortalLogging {
    /** One line per audited request: event, outcome, address, message id, client. Never details or secrets. */
    static final String REQUESTS = "org.sealgate.gina.requests";
    static final String FILE_NAME = "portal.log";
    private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{1} - %msg%n";
    private static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private PortalLogging() {
    }

    /** For {@code gina serve}: console plus the rotating file in {@code directory} (created by logback). */
    static void serving(Path directory, boolean verbose) {
        LoggerContext context = reset();
        if (context == null) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        context.getLogger("org.sealgate").setLevel(verbose ? Level.DEBUG : Level.INFO);
        root.addAppender(console(context));
        root.addAppender(file(context, directory));
    }

    /** For commands that answer and end ({@code reset-password}): errors only, or INFO with {@code --verbose}. */
    static void answering(boolean verbose) {
        LoggerContext context = reset();
        if (context == null) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.ERROR);
        if (!verbose) {
            // ZooKeeper's TLS (Netty) client logs the server's close of a finished session as an ERROR with an
            // EOFException: nothing went wrong, so it is not shown beside the command's answer.
            context.getLogger("org.apache.zookeeper.ClientCnxnSocketNetty").setLevel(Level.OFF);
        }
        root.addAppender(console(context));
    }

    /** The started context, emptied; null when another slf4j binding is in use (then its own defaults apply). */
    private static LoggerContext reset() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        context.reset();
        return context;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("CONSOLE");
        appender.setEncoder(encoder(context, CONSOLE_PATTERN));
        appender.start();
        return appender;
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext context, Path directory) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(directory.resolve(FILE_NAME).toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(directory.resolve("portal.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("20MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("500MB"));
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder(context, FILE_PATTERN));
        appender.start();
        return appender;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
