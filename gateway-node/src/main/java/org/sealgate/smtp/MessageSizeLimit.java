package org.sealgate.smtp;

import java.util.List;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's message size limit ({@code maxmessagesize}) with an answer a sender can act on: {@code 552 5.3.4 message
 * exceeds the maximum size of N KB: send smaller attachments or a link to the file} instead of {@code 552 Quota
 * exceeded}, and one INFO line instead of James's ERROR. Placed before James's core handlers, it answers first (its
 * line filter is the outermost); James's own extension stays for the {@code SIZE} EHLO keyword, which this one does
 * not announce a second time. {@code MAIL FROM:<...> SIZE=N} is {@link MailSizeParameter}'s (same answer).
 *
 * <pre>{@code
 * <handler class="org.sealgate.smtp.MessageSizeLimit"/>
 * <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * }</pre>
 */
public class MessageSizeLimit extends MailSizeEsmtpExtension {
    private static final Logger LOGGER = LoggerFactory.getLogger(MessageSizeLimit.class);

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return List.of();
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        // James's own size filter comes next in the chain and counts the lines; counting here too (super.onLine)
        // would count every line twice and refuse mail at half the limit.
        Response response = next.onLine(session, line);
        if (response != null && SMTPRetCode.QUOTA_EXCEEDED.equals(response.getRetCode())) {
            return new SMTPResponse(SMTPRetCode.QUOTA_EXCEEDED, text(session));
        }
        return response;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        return clearer(session, super.onMessage(session, mail));
    }

    private static HookResult clearer(SMTPSession session, HookResult result) {
        if (result == null || !SMTPRetCode.QUOTA_EXCEEDED.equals(result.getSmtpRetCode())) {
            return result;
        }
        LOGGER.info("refused a mail from {} ({}) at DATA: over the limit of {} KB",
            session.getAttachment(SMTPSession.SENDER, State.Transaction).map(MaybeSender::asString).orElse("?"),
            session.getRemoteAddress().getAddress().getHostAddress(), session.getConfiguration().getMaxMessageSize() / 1024);
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode(SMTPRetCode.QUOTA_EXCEEDED)
            .smtpDescription(text(session)).build();
    }

    static String text(SMTPSession session) {
        long kb = session.getConfiguration().getMaxMessageSize() / 1024;
        return "5.3.4 message exceeds the maximum size of " + kb + " KB: send smaller attachments or a link to the file";
    }
}
