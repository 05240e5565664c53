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

    private static final Map<String, String> TEXTS = Map.of(
        "gina", """
            usage: sealgate gina extract MAILFILE [--out FILE]
              Writes the secure-message.html a GINA carrier mail carries (default ./secure-message.html), as
              the recipient's mail program would save it; the signature is not checked here (openssl cms -verify).
              The portal itself: sealgate gina [serve] | reset-password ADDRESS (./sealgate gina --help).
            """,
        "demo", """
            usage: sealgate demo [--data DIR] [--smtp-port N] [--relay HOST:PORT]
              One gateway node on embedded defaults (SMTP on 127.0.0.1:2525; when 2525 is taken and --smtp-port
              is not given, a free port, printed), an embedded ZooKeeper (127.0.0.1:2181 or a free port) and the
              GINA portal (https://127.0.0.1:8443 or a free port). First start creates the demo CA, users and
              partners in DIR. Without --relay, mail leaving the gateway is written to DIR/mail/outbound/ and
              DIR/mail/inbound/. Logs: the console and DIR/logs/node.log. Stop with Ctrl-C.
            """,
        "node", """
            usage: sealgate node --data DIR
              Runs a production node from DIR/sealgate.properties until SIGTERM or Ctrl-C (a stop takes at most
              30 s). Logs: the console (the journal under systemd) and DIR/logs/node.log (rotated daily and at
              20 MB, 14 days kept). A start that fails exits 1 with the cause, naming the port or file.
            """,
        "keys", """
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
            """,
        "config", """
            usage: sealgate config ACTION [--data DIR | --zk CONNECT --admin-credentials FILE [--node-credentials FILE]]
              apply FILE [--expected-version N]   validate, then make FILE the cluster configuration (new version)
              show                                the version in force and its document
              diff FILE                           what applying FILE would change
              history                             every version, who applied it and when
              rollback VERSION                    the document of VERSION, as a new version
              Exit 1: refused (every error as FILE:LINE:COLUMN: field: problem); 3: a concurrent apply won.
            """,
        "cluster", """
            usage: sealgate cluster status [--data DIR | --zk CONNECT --admin-credentials FILE]
                   sealgate cluster new-master-key FILE
              status            running nodes from the registry: role, addresses, config version, health
              new-master-key    a new cluster master key (seals managed keys in ZooKeeper); copy it to every
                                node (zk.master-key), never into ZooKeeper
            """);

    private Help() {
    }

    /** The help of a command, if it has one. */
    static Optional<String> of(String command) {
        return Optional.ofNullable(TEXTS.get(command)).map(text -> text + COMMON);
    }

    static String overview() {
        return "usage: sealgate demo|node|keys|config|cluster|gina ... (COMMAND --help for each; ./sealgate help for all)"
            + System.lineSeparator();
    }
}
