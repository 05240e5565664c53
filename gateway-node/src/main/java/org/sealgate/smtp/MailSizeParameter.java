package org.sealgate.smtp;

import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code MAIL FROM:<...> SIZE=N} over the limit answered as the oversized DATA is ({@link MessageSizeLimit#text}:
 * the limit and what to do) instead of James's {@code Message size exceeds fixed maximum message size}, and logged
 * as the expected refusal it is: one INFO line, not James's ERROR. James keeps one hook per MAIL parameter, the
 * last registered, so this hook comes after James's core handlers ({@link SealgateCoreHandlers}); the check itself
 * stays James's (delegated).
 */
public class MailSizeParameter implements MailParametersHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(MailSizeParameter.class);
    private final MailSizeEsmtpExtension james = new MailSizeEsmtpExtension();

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        HookResult result = james.doMailParameter(session, paramName, paramValue);
        if (result == null || !SMTPRetCode.QUOTA_EXCEEDED.equals(result.getSmtpRetCode())) {
            return result;
        }
        // The sender is not known yet (parameters are checked before MAIL FROM is accepted): the client's address.
        LOGGER.info("refused a mail from {} at MAIL FROM: announced SIZE={} is over the limit of {} KB",
            session.getRemoteAddress().getAddress().getHostAddress(), paramValue,
            session.getConfiguration().getMaxMessageSize() / 1024);
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode(SMTPRetCode.QUOTA_EXCEEDED)
            .smtpDescription(MessageSizeLimit.text(session)).build();
    }

    @Override
    public String[] getMailParamNames() {
        return new String[] {"SIZE"};
    }
}
