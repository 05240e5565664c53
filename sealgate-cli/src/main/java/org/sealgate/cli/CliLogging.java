package org.sealgate.cli;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;

/**
 * Logging as each kind of command wants it. Commands that answer and end ({@code keys}, {@code config},
 * {@code cluster}) are quiet: only errors from libraries, no INFO lines or environment dumps between their answer
 * lines; {@code --verbose} turns library logging back on. Long-running commands ({@code node}, {@code demo}) keep
 * logback.xml's console logging (the journal under systemd) and add a rotating file under the data directory.
 */
final class CliLogging {
    /** ZooKeeper's Netty client socket (used for TLS). */
    static final String ZOOKEEPER_NETTY_CLIENT = "org.apache.zookeeper.ClientCnxnSocketNetty";
    static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private CliLogging() {
    }

    /** For commands that answer and end. */
    static void quiet() {
        if (!isLogback()) {
            return;
        }
        root().setLevel(Level.ERROR);
        context().getLogger("org.sealgate").setLevel(Level.WARN);
        // ZooKeeper's TLS (Netty) client logs the server's close of a finished session as an ERROR with an
        // EOFException: nothing went wrong, so it is not shown between a command's answer lines.
        context().getLogger(ZOOKEEPER_NETTY_CLIENT).setLevel(Level.OFF);
    }

    /** {@code --verbose}: library INFO logging too. */
    static void verbose() {
        if (!isLogback()) {
            return;
        }
        root().setLevel(Level.INFO);
        context().getLogger("org.sealgate").setLevel(Level.DEBUG);
    }

    /**
     * Adds {@code DIR/NAME.log}, rolled daily and at 20 MB, 14 days and at most 500 MB kept, to the console
     * logging. The directory is created by logback, inside the data directory the node keeps private.
     */
    static void toFiles(Path directory, String name) {
        if (!isLogback()) {
            return;
        }
        LoggerContext context = context();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FILE_PATTERN);
        encoder.start();
        RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(directory.resolve(name + ".log").toString());
        SizeAndTimeBasedRollingPolicy<ch.qos.logback.classic.spi.ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(directory.resolve(name + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("20MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("500MB"));
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder);
        appender.start();
        root().addAppender(appender);
    }

    private static boolean isLogback() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext;
    }

    private static Logger root() {
        return context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
