package org.sealgate.zk.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.zk.config.GinaSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The portal's share of the cluster document, {@value ZkLayout#GINA_SETTINGS}: small JSON written by every apply
 * (in the same transaction as {@code /config}), so the portal's identity reads what it needs and never the whole
 * policy. ACL: the admins ALL, every other identity with rights on {@code /gina} (the GINA identity) READ.
 *
 * @param version the configuration version the settings come from
 */
public record GinaSettingsNode(int version, GinaSettings settings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] encode() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", version);
        map.put("session-minutes", settings.sessionMinutes());
        map.put("session-max-hours", settings.sessionMaxHours());
        map.put("first-password-days", settings.firstPasswordDays());
        map.put("self-service-reset", settings.selfServiceReset());
        map.put("replies-per-hour", settings.repliesPerHour());
        try {
            return JSON.writeValueAsBytes(map);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what {@link #encode} wrote; the host name and port are not part of it (the portal has its own listener). */
    public static GinaSettingsNode decode(byte[] data) throws IOException {
        JsonNode node = JSON.readTree(data);
        if (node == null || !node.isObject()) {
            throw new IOException(ZkLayout.GINA_SETTINGS + " is not a JSON object");
        }
        return new GinaSettingsNode(required(node, "version").asInt(), new GinaSettings("", 0,
            required(node, "session-minutes").asInt(), required(node, "session-max-hours").asInt(),
            required(node, "first-password-days").asInt(), required(node, "self-service-reset").asBoolean(),
            required(node, "replies-per-hour").asInt()));
    }

    /**
     * The znode's ACL from {@code /gina}'s (prepared by {@code AccountStores.prepare}: admin ALL, GINA ALL): the
     * store's admin entries keep ALL, every other identity gets READ only.
     */
    static List<ACL> acl(List<ACL> storeAcl, List<ACL> ginaFolderAcl) {
        List<ACL> admins = storeAcl.stream().filter(a -> a.getPerms() == Perms.ALL).toList();
        List<ACL> acls = new ArrayList<>(admins);
        for (ACL acl : ginaFolderAcl) {
            if (admins.stream().noneMatch(a -> a.getId().equals(acl.getId()))) {
                acls.add(new ACL(Perms.READ, acl.getId()));
            }
        }
        return acls;
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException(ZkLayout.GINA_SETTINGS + " has no " + field);
        }
        return value;
    }
}
