package org.sealgate.gina.portal;

import java.util.function.BooleanSupplier;

import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.session.SessionTokens;

/**
 * What the portal's flows use; built by {@link GinaPortal#context} from the settings, or by tests.
 *
 * @param maxUploadBytes          largest request body accepted (the posted container, a reply with attachments)
 * @param maxReplyAttachmentBytes largest total size of a reply's attachments
 * @param accountStoreReachable   what {@code /healthz} reports: without the account store nobody can log in
 * @param maxPreLoginBytes        largest request body before a session exists (the posted container and a form)
 * @param shared                  the settings every portal agrees on (the cluster document's, else gina.properties'),
 *                                read per request so a change applies without restart
 */
public record PortalContext(GinaAccounts accounts, KeyRing ginaKeys, SessionTokens sessions, ContainerCrypto crypto,
                            AuditLog audit, ReplySender replies, SharedSettings shared, long maxUploadBytes,
                            long maxReplyAttachmentBytes, BooleanSupplier accountStoreReachable,
                            long maxPreLoginBytes) {

    public boolean selfServiceReset() {
        return shared.current().selfServiceReset();
    }

    /** Portal replies per account and hour, counted cluster-wide. */
    public int repliesPerHour() {
        return shared.current().repliesPerHour();
    }
}
