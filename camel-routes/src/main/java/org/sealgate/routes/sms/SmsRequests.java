package org.sealgate.routes.sms;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the HTTP request for the SMS gateway from an exchange carrying the phone number and the text as
 * properties: a JSON body {@code {"from": ..., "to": "+4179...", "text": ...}}, {@code Content-Type:
 * application/json} and, when configured, HTTP Basic authentication. The exchange's headers are replaced, so
 * nothing else reaches the gateway.
 */
public final class SmsRequests {
    public static final String PHONE = "sealgate.sms.phone";
    public static final String TEXT = "sealgate.sms.text";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SmsSettings settings;

    public SmsRequests(SmsSettings settings) {
        this.settings = settings;
    }

    public void prepare(Exchange exchange) throws JsonProcessingException {
        String phone = exchange.getProperty(PHONE, String.class);
        String text = exchange.getProperty(TEXT, String.class);
        if (phone == null || text == null) {
            throw new IllegalArgumentException("an SMS needs the properties " + PHONE + " and " + TEXT);
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setHeader("Accept", "application/json");
        settings.user().ifPresent(user -> message.setHeader("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + settings.password().orElseThrow()).getBytes(StandardCharsets.UTF_8))));
        message.setBody(body(phone, text));
    }

    String body(String phone, String text) throws JsonProcessingException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("from", settings.senderName());
        body.put("to", phone);
        body.put("text", text);
        return JSON.writeValueAsString(body);
    }
}
