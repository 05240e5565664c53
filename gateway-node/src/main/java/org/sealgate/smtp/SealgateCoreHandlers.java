package org.sealgate.smtp;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;

/**
 * James's core SMTP handlers, then {@link MailSizeParameter}. James appends its core package after every handler
 * the chain names, and keeps the last hook registered for a MAIL parameter, so a handler named in the chain cannot
 * answer {@code SIZE=N}; named as the chain's {@code coreHandlersPackage}, this package puts ours after James's.
 */
public class SealgateCoreHandlers implements HandlersPackage {

    @Override
    public List<String> getHandlers() {
        List<String> handlers = new ArrayList<>(new CoreCmdHandlerLoader().getHandlers());
        handlers.add(MailSizeParameter.class.getName());
        return List.copyOf(handlers);
    }
}
