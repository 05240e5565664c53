package org.sealgate.vip;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkLayout;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the VIP claims under {@code /vip} for {@code cluster status}. */
public final class VipClaims {
    static final ObjectMapper JSON = new ObjectMapper();

    private VipClaims() {
    }

    /** Every live claim, ordered by node; an unreadable one is shown as UNKNOWN. */
    public static List<VipClaim> read(CuratorFramework client) throws ConfigStoreException {
        List<String> children;
        try {
            children = new ArrayList<>(client.getChildren().forPath(ZkLayout.VIP));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (KeeperException.NoAuthException e) {
            throw new ConfigAccessDeniedException("reading " + ZkLayout.VIP + " is not allowed for this identity", e);
        } catch (Exception e) {
            throw new ConfigStoreException("cannot list " + ZkLayout.VIP + ": " + e, e);
        }
        children.sort(null);
        List<VipClaim> claims = new ArrayList<>();
        for (String child : children) {
            try {
                claims.add(JSON.readValue(client.getData().forPath(ZkLayout.child(ZkLayout.VIP, child)), VipClaim.class));
            } catch (KeeperException.NoNodeException e) {
                // its session ended between listing and reading
            } catch (IOException e) {
                claims.add(new VipClaim(child, VipClaim.UNKNOWN, null, null, 0));
            } catch (Exception e) {
                throw new ConfigStoreException("cannot read the VIP claim of " + child + ": " + e, e);
            }
        }
        return claims;
    }

    /** One line for {@code cluster status}: who holds the VIP, and a warning when several claim it (split brain). */
    public static String summary(String address, List<VipClaim> claims) {
        List<VipClaim> masters = claims.stream().filter(VipClaim::holdsVip).toList();
        String others = String.join(", ", claims.stream().filter(c -> !c.holdsVip())
            .map(c -> c.node() + " " + c.state()).toList());
        String tail = others.isEmpty() ? "" : "; " + others;
        if (masters.isEmpty()) {
            return "VIP " + address + ": held by no node (no MASTER reported" + (claims.isEmpty()
                ? ", no 'sealgate vip watch' running)" : ")") + tail;
        }
        if (masters.size() > 1) {
            return "VIP " + address + ": CLAIMED BY " + masters.size() + " NODES ("
                + String.join(", ", masters.stream().map(VipClaim::node).toList())
                + "): VRRP adverts do not reach each other (split brain)" + tail;
        }
        VipClaim holder = masters.get(0);
        return "VIP " + address + ": held by " + holder.node() + (holder.since() == null ? "" : " since " + holder.since()) + tail;
    }
}
