package org.sealgate.routes.sms;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.sealgate.gina.mail.SmsGateway;

/**
 * The {@link SmsGateway} the GINA mailet gets on a node with an SMS gateway configured: one synchronous request
 * through {@link SmsRoutes}. A refusal (non-2xx) or an unreachable gateway becomes an {@link SmsException} whose
 * message names the status or the cause, never the text.
 */
public final class CamelSmsGateway implements SmsGateway {
    private final ProducerTemplate template;
    private final SmsSettings settings;

    public CamelSmsGateway(ProducerTemplate template, SmsSettings settings) {
        this.template = template;
        this.settings = settings;
    }

    @Override
    public void send(String phoneNumber, String text) throws SmsException {
        Exchange result = template.request(SmsRoutes.ENDPOINT, exchange -> {
            exchange.setProperty(SmsRequests.PHONE, phoneNumber);
            exchange.setProperty(SmsRequests.TEXT, text);
        });
        Exception failure = result.getException();
        if (failure instanceof HttpOperationFailedException refused) {
            throw new SmsException("the SMS gateway " + settings.url().getHost() + " answered HTTP " + refused.getStatusCode());
        }
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            throw new SmsException("the SMS gateway " + settings.url().getHost() + " could not be reached ("
                + cause.getClass().getSimpleName() + ")");
        }
    }
}
