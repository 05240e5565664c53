package org.sealgate.smtp;

import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;

/** James's SMTP server with {@link ReadBackpressure} between its line framer and its SMTP handler. */
public class BoundedSmtpServer extends SMTPServer {
    public BoundedSmtpServer(SmtpMetrics metrics) {
        super(metrics);
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        ChannelHandlerFactory framer = super.createFrameHandlerFactory();
        return pipeline -> {
            ReadBackpressure.install(pipeline, getExecutorGroup());
            return framer.create(pipeline);
        };
    }
}
