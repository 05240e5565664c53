package org.sealgate.smtp;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * The SMTP server's MAIL check while the node is drained ({@link DrainSwitch}): {@code 421 4.3.2} and the
 * connection is closed, so the client tries another server or later (RFC 5321 §3.8). A transaction already past
 * MAIL finishes; the queue keeps delivering. First in the handler chain, for both pipelines.
 */
public class DrainGate implements MailHook {
    private final DrainSwitch drain;

    @Inject
    public DrainGate(DrainSwitch drain) {
        this.drain = drain;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (!drain.isRefusing()) {
            return HookResult.DECLINED;
        }
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.disconnected(HookReturnCode.Action.DENYSOFT))
            .smtpReturnCode("421")
            .smtpDescription("4.3.2 Node out of service (draining), try another server or later")
            .build();
    }
}
