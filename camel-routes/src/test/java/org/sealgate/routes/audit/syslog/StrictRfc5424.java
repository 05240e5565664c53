package org.sealgate.routes.audit.syslog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict RFC 5424 reader for the tests: throws on anything the grammar does not allow. */
record StrictRfc5424(int priority, String timestamp, String hostName, String appName, String procId, String msgId,
                     List<String> sdIds, List<Map.Entry<String, String>> params, String msg) {
    private static final Pattern HEADER = Pattern.compile(
        "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?Z) ([\\x21-\\x7e]{1,255}) ([\\x21-\\x7e]{1,48})"
            + " ([\\x21-\\x7e]{1,128}) ([\\x21-\\x7e]{1,32}) ");
    private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e&&[^= \\]\"]]{1,32}");

    static StrictRfc5424 parse(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n' || b == '\r' || b == 0) {
                throw new IllegalArgumentException("control character in the record");
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher header = HEADER.matcher(text);
        if (!header.lookingAt()) {
            throw new IllegalArgumentException("bad header: " + text);
        }
        int i = header.end();
        List<String> ids = new ArrayList<>();
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (text.charAt(i) == '-') {
            i++;
        } else {
            while (i < text.length() && text.charAt(i) == '[') {
                int idEnd = i + 1;
                while (idEnd < text.length() && text.charAt(idEnd) != ' ' && text.charAt(idEnd) != ']') {
                    idEnd++;
                }
                String id = text.substring(i + 1, idEnd);
                if (!NAME.matcher(id.replace("@", "")).matches() && !id.matches("[^= \\]\"]+@\\d+")) {
                    throw new IllegalArgumentException("bad SD-ID " + id);
                }
                ids.add(id);
                i = idEnd;
                while (text.charAt(i) == ' ') {
                    int eq = text.indexOf('=', i);
                    String name = text.substring(i + 1, eq);
                    if (!NAME.matcher(name).matches() || text.charAt(eq + 1) != '"') {
                        throw new IllegalArgumentException("bad SD-PARAM at " + i + ": " + text);
                    }
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    while (text.charAt(j) != '"') {
                        char c = text.charAt(j);
                        if (c == '\\' && "\"\\]".indexOf(text.charAt(j + 1)) >= 0) {
                            value.append(text.charAt(j + 1));
                            j += 2;
                        } else if (c == ']') {
                            throw new IllegalArgumentException("unescaped ] in a value: " + text);
                        } else {
                            value.append(c);
                            j++;
                        }
                    }
                    params.add(Map.entry(name, value.toString()));
                    i = j + 1;
                }
                if (text.charAt(i) != ']') {
                    throw new IllegalArgumentException("SD element not closed at " + i + ": " + text);
                }
                i++;
            }
        }
        String msg = "";
        if (i < text.length()) {
            if (text.charAt(i) != ' ') {
                throw new IllegalArgumentException("garbage after structured data: " + text.substring(i));
            }
            msg = text.substring(i + 1);
            msg = msg.startsWith("\uFEFF") ? msg.substring(1) : msg;
        }
        return new StrictRfc5424(Integer.parseInt(header.group(1)), header.group(2), header.group(3), header.group(4),
            header.group(5), header.group(6), ids, params, msg);
    }

    String param(String name) {
        return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    List<String> all(String name) {
        return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }
}
