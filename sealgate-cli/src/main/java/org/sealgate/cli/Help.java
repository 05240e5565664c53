package org.sealgate.cli;

import java.util.Map;
import java.util.Optional;

/** {@code --help} (or {@code -h}) on any command or sub-command: what it takes, what it does, to stdout, exit 0. */
final class Help {
    static final String COMMON = """

        Every command: --help  this text;  --verbose  library logging too (commands are quiet by default).
        DIR (--data) is a node's data directory, the same for every command: default $SEALGATE_DATA,
        else ~/.sealgate/demo (the demo's).
        """;

    private static final Map<String, String> TEXTS = Map.ofEntries(
        Map.entry("gina", """
            usage: sealgate gina extract MAILFILE [--out FILE]
                   sealgate gina init [--data DIR] [--config DIR] [--host-name NAME] [--port N] [--https-host ADDR]
                                      [--cert FILE --key FILE] [--admin-credentials FILE]
              init: a clustered node's portal: CONFIG/gina.properties (linked from DIR/gina), the GINA and
              session key rings and gina identity (made on a new cluster's first node, else copied from it),
              the HTTPS certificate (imported PEM, else self-signed), /gina in ZooKeeper (with admin credentials).
              extract: writes the secure-message.html a GINA carrier mail carries (default ./secure-message.html), as
              the recipient's mail program would save it; the signature is not checked here (openssl cms -verify).
              The portal itself: sealgate gina [serve] | reset-password ADDRESS (./sealgate gina --help).
            """),
        Map.entry("demo", """
            usage: sealgate demo [--data DIR] [--smtp-port N] [--relay HOST:PORT] [--admin-port N] [--console-port N]
              One gateway node on embedded defaults (SMTP on 127.0.0.1:2525; when 2525 is taken and --smtp-port
              is not given, a free port, printed), an embedded ZooKeeper (127.0.0.1:2181 or a free port) and the
              GINA portal (https://127.0.0.1:8443 or a free port). First start creates the demo CA, users and
              partners in DIR. Without --relay, mail leaving the gateway is written to DIR/mail/outbound/ and
              DIR/mail/inbound/. Logs: the console and DIR/logs/node.log. Stop with Ctrl-C.
              The node's admin endpoint (/healthz, /metrics) on http://127.0.0.1:8081 (--admin-port; a free port
              if taken) and the admin console on https://127.0.0.1:9443 (--console-port; login in
              DIR/demo/console-admin.txt) are printed at start.
            """),
        Map.entry("node", """
            usage: sealgate node --data DIR
                   sealgate node drain [--data DIR] [--wait SECONDS]
                   sealgate node resume [--data DIR]
              Runs a production node from DIR/sealgate.properties until SIGTERM or Ctrl-C (a stop takes at most
              30 s). Logs: the console (the journal under systemd) and DIR/logs/node.log (rotated daily and at
              20 MB, 14 days kept). A start that fails exits 1 with the cause, naming the port or file.
              Admin endpoint on admin.host:admin.port: /healthz (200 or 503 with the reasons), /metrics.
              drain     the running node leaves service: health 503 at once, SMTP 421 after the grace period;
                        waits until its queue is empty (default 120 s; exit 3 if it is not)
              resume    take mail again after a drain
            """),
        Map.entry("keys", """
            usage: sealgate keys ACTION ... [--data DIR | --zk CONNECT --admin-credentials FILE [--master-key FILE]]
              import-cert FILE                 a partner's certificate (PEM or DER)
              import-ca FILE [--domains a.example,*.b.example]
                                               a trusted CA, scoped to these domains (unscoped: any domain
                                               except the managed ones)
              import-crl FILE                  a CRL (PEM or DER)
              import-p12 FILE --password-file F
                                               a managed user's key and certificate
              import-pgp FILE [--password-file F]
                                               an OpenPGP key: public = a partner's; secret = a managed user's
              export-cert ADDRESS              a managed user's certificate (PEM)
              export-pgp ADDRESS               a managed user's OpenPGP public key (armored)
              list                             certificates, OpenPGP keys, managed keys, trust anchors
              remove ADDRESS                   an address's certificates and keys (S/MIME and OpenPGP)
            """),
        Map.entry("config", """
            usage: sealgate config ACTION [--data DIR | --zk CONNECT --admin-credentials FILE [--node-credentials FILE]
                                          [--zk-tls FILE]]
              apply FILE [--expected-version N] [--message TEXT]
                                                  validate, then make FILE the cluster configuration (new version)
              show                                the version in force and its document
              diff FILE                           what applying FILE would change
              history                             every version, who applied it and when
              rollback VERSION                    the document of VERSION, as a new version
              Exit 1: refused (every error as FILE:LINE:COLUMN: field: problem); 3: a concurrent apply won.
            """),
        Map.entry("cluster", """
            usage: sealgate cluster status [--data DIR | --zk CONNECT --admin-credentials FILE [--zk-tls FILE]]
                   sealgate cluster join [--data DIR] [--admin-credentials FILE] [--zk-tls FILE]
                   sealgate cluster new-master-key FILE
                   sealgate cluster tls-init DIR [--name NAME]
                   sealgate cluster tls-issue DIR --identity NAME [--host H,H...]
              status            running nodes from the registry: role, addresses, config version, health; who
                                holds the VIP
              join              list this node (DIR/sealgate.properties: node id, node.role, node.addresses) in
                                the cluster document: checks ZooKeeper as the node, refuses an id another live
                                node holds, creates a new cluster's store from DIR/cluster-initial.yaml, checks
                                the master key; exit 1 when refused; safe to repeat
              new-master-key    a new cluster master key (seals managed keys in ZooKeeper); copy it to every
                                node (zk.master-key), never into ZooKeeper
              tls-init          a CA for the cluster's ZooKeeper TLS (DIR/ca.pem, DIR/ca.key.pem)
              tls-issue         a ZooKeeper TLS identity (servers with --host; admin, nodes, portal):
                                DIR/NAME.p12, its password file, DIR/NAME.properties (the zk.tls.* keys)
            """),
        Map.entry("vip", """
            usage: sealgate vip render --node ID [--out FILE] [--data DIR | --zk CONNECT --node-credentials FILE
                                       [--zk-tls FILE]] [--scripts DIR] [--state-dir DIR] [--portal-port N]
                                       [--auth-pass-file FILE]
                   sealgate vip watch --node ID --out FILE [--pid-file F | --reload-command CMD] [same options]
                   sealgate vip scripts DIR
              render    this node's keepalived.conf for the GINA VIP from the cluster document (the VRRP
                        password masked when printed; --out writes an owner-only file)
              watch     keep FILE rendered, reload keepalived on a change (SIGHUP to the pid file, or CMD),
                        publish this node's VRRP state for 'cluster status'; until SIGTERM
              scripts   install check-portal.sh and notify.sh, which keepalived runs
            """),
        Map.entry("mail", """
            usage: sealgate mail held list|show ID [--body]|release ID|delete ID [--data DIR] [--wait SECONDS]
              One node's held mail (sealed at rest in DIR/held): list with reason, time, sender, recipients;
              show its headers (--body: all of it); release: the running node runs it through the policy
              again (held again when it still cannot go out as policy says); delete (audited). Run as the
              node's user: the key is in DIR.
                   sealgate mail held list --cluster | show|release|delete ID --node NODE
                                   [--data DIR | --zk CONNECT --admin-credentials FILE [--zk-tls FILE]]
              Every node's held mail through its admin endpoint (address from the registry), with the cluster
              admin token only the ZooKeeper admin identity reads; unreachable nodes are named (exit 1).
            """),
        Map.entry("console", """
            usage: sealgate console --data DIR
                   sealgate console add-admin NAME [--data DIR | --zk CONNECT --admin-credentials FILE [--zk-tls FILE]]
                                   [--console-keys FILE] [--password-file F]
              (no action)  run the admin web console (own JVM, Jetty 12, HTTPS) from DIR/console.properties
              add-admin    a console admin (Argon2id password + TOTP); prints the password (unless F) and the
                           TOTP secret / otpauth URI once
            """),
        Map.entry("setup", """
            usage: sealgate setup [--from FILE] [--config DIR] [--data DIR] [--owner USER] [--no-join]
              First-boot configuration of an installed node: asks on the terminal, or reads key=value FILE
              (node.id, node.role, node.hostname, node.addresses, domains.managed, smtp.host, smtp.port,
              smtp.trusted-networks, delivery.relay, cluster = standalone|join|new, zk.connect,
              zk.credentials, zk.admin-credentials, zk.tls, zk.tls.identity, zk.host, zk.port,
              zk.quorum-ports, vip.address, vip.interface, vip.router-id, master-key, gina, gina.host-name,
              gina.port, gina.credentials, gina.keys, gina.session-keys, tls.portal.cert, tls.portal.key,
              console, console.host, console.port, tls.smtp.cert, tls.smtp.key, admin.host, admin.port).
              Clustered with admin credentials, it then runs cluster join and gina init (--no-join: files
              only). Defaults /etc/sealgate and /var/lib/sealgate; safe to re-run (appliance-image/README.md).
            """));

    private Help() {
    }

    /** The help of a command, if it has one. */
    static Optional<String> of(String command) {
        return Optional.ofNullable(TEXTS.get(command)).map(text -> text + COMMON);
    }

    static String overview() {
        return "usage: sealgate demo|node|keys|config|cluster|vip|mail|console|setup|gina ... (COMMAND --help for each; ./sealgate help for all)"
            + System.lineSeparator();
    }
}
