package org.sealgate.routes.jobs;

/** Sends a plain-text notice from the gateway itself (null envelope sender) through the node's pipeline. */
@FunctionalInterface
public interface NoticeMailer {

    void send(String to, String subject, String body) throws Exception;
}
