import type { CommandInfo } from './command.ts';

const DATA = "  --data DIR      the data folder (default: EARWITNESS_DATA, else the platform's usual place)";
/** For the commands that run whole on the store port (src/cli/database-url.ts). */
const DATABASE =
  "  --database URL  a centre's PostgreSQL database (postgres://user@host/db; default: EARWITNESS_DATABASE, else the SQLite file in the data folder)";

/**
 * Every `earwitness` command, described here and loaded only when run: a new command adds its
 * file under src/cli/ (exporting `run`) and one entry here.
 */
export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'demo',
    summary: 'simulate the demo sensor network: alert bundles and a ground-truth file (docs/DEMO.md)',
    usage: 'earwitness demo --out DIR [--alerts N] [--seed S] [--start ISO] [--scenario KIND]... [--network FILE] [--quiet]',
    details: [
      '  --out DIR       where the bundles and ground-truth.json go (never overwritten)',
      '  --alerts N      how many alerts, 1 to 10000 (default 10)',
      '  --seed S        1 to 32 letters, digits or underscores (default 1): the same seed gives the same alerts',
      "  --start ISO     the first alert's time (default 2026-06-14T21:00:00Z)",
      '  --scenario KIND only these scenarios (repeatable)',
      '  --network FILE  a sensor network file instead of the built-in one',
      '  --quiet         print nothing but errors',
    ].join('\n'),
    load: async () => (await import('./demo.ts')).run,
  },
  {
    name: 'import',
    summary: 'import alert bundles, sensor-WAV folders or research test folders, or folders of them, into the store',
    usage: 'earwitness import PATH... [--data DIR] [--database URL] [--json]',
    details: [
      '  PATH            an alert folder (a bundle with alert.json, ShotSpotter sensor WAVs, a research test folder),',
      '                  or a folder holding such folders (as `earwitness demo --out DIR` makes): each is imported and reported',
      DATA,
      DATABASE,
      '  --json          one JSON document of every outcome on stdout',
      'Exit status 0 when nothing was refused, 1 when anything was.',
    ].join('\n'),
    load: async () => (await import('./import.ts')).run,
  },
  {
    name: 'locate',
    summary: 'locate the shots of one alert folder from its audio (bundle, sensor WAVs or research test folder)',
    usage: 'earwitness locate PATH [--json] [--default-temperature C]',
    details: [
      '  --json                    one earwitness-locate/1 document on stdout (FORMATS.md)',
      '  --default-temperature C   the air temperature when the alert has none (default 15)',
      'Nothing is written anywhere. Exit status 0 when the input was read, 1 when it could not be.',
    ].join('\n'),
    load: async () => (await import('./locate.ts')).run,
  },
  {
    name: 'serve',
    summary: 'run the core with its web host: this machine (loopback), or a review centre on the network',
    usage: [
      'earwitness serve [--data DIR] [--port N] [--no-demo] [--renderer DIR]',
      'earwitness serve --listen HOST:PORT --public-origin URL (--tls-cert FILE --tls-key FILE | --tls-proxy) [--data DIR] [--database URL] [--no-demo]',
    ].join('\n       '),
    details: [
      DATA,
      '  --port N              the loopback port (default: any free one)',
      '  --no-demo             no simulated sensor network',
      '  --renderer DIR        serve this built UI instead of dist/renderer',
      'Without --listen: 127.0.0.1 only; prints the address to open, with its token.',
      'A centre server (seats on other machines):',
      '  --listen HOST:PORT    the address to listen on, e.g. 0.0.0.0:8443',
      '  --public-origin URL   the https:// address seats open; the only Host and Origin accepted',
      '  --tls-cert FILE       the certificate chain (PEM) this server presents',
      '  --tls-key FILE        its private key (PEM, unencrypted; readable by this user only)',
      '  --tls-proxy           a reverse proxy in front terminates TLS and forwards plain HTTP (and X-Forwarded-For);',
      '                        listen on an address only the proxy reaches',
      "  --database URL        the centre's PostgreSQL database (postgres://...; or EARWITNESS_DATABASE), shared by",
      '                        every server of the centre, whose --data folders share one clip store (clips/)',
      'A centre has no shared token: people sign in with their accounts (create the first administrator',
      'with `earwitness account add NAME --role admin` on this machine); each browser gets its own key',
      'in a Secure, HttpOnly, SameSite=Strict cookie. Logs go to logs/earwitness.log in the data folder.',
    ].join('\n'),
    load: async () => (await import('./serve.ts')).run,
  },
  {
    name: 'account',
    summary: 'add people, set their roles and passwords, disable or enable them',
    usage: 'earwitness account list|add|roles|password|disable|enable ...',
    subcommands: [
      { name: 'list', summary: 'everyone, with their roles', usage: 'earwitness account list [--json] [--data DIR] [--database URL]' },
      {
        name: 'add',
        summary: 'add a person; the password is read from stdin or asked twice',
        usage: 'earwitness account add NAME --role ROLE... [--display-name TEXT] [--password-stdin] [--data DIR] [--database URL]',
      },
      { name: 'roles', summary: "set a person's roles", usage: 'earwitness account roles NAME --role ROLE... | --no-roles [--data DIR] [--database URL]' },
      { name: 'password', summary: 'set a new password', usage: 'earwitness account password NAME [--password-stdin] [--data DIR] [--database URL]' },
      { name: 'disable', summary: 'stop a person signing in', usage: 'earwitness account disable NAME [--data DIR] [--database URL]' },
      { name: 'enable', summary: 'let a disabled person sign in again', usage: 'earwitness account enable NAME [--data DIR] [--database URL]' },
    ],
    details: ['Roles: reviewer, trainer, auditor, admin. The command acts as the local administrator cli:<OS user>.', DATABASE].join('\n'),
    load: async () => (await import('./account.ts')).run,
  },
  {
    name: 'agency',
    summary: 'add, list, update or remove the agencies incidents are published to',
    usage: 'earwitness agency add|list|update|remove ...',
    subcommands: [
      {
        name: 'add',
        summary: 'add an agency with its jurisdiction and endpoints',
        usage:
          'earwitness agency add --geojson FILE --url URL --format cap|json --secret S|--secret-file FILE [--name NAME] [--classes c1,c2]\n' +
          '    [--accepts Actual,Exercise,Test] [--client-cert FILE --client-key FILE] [--ca FILE] [--proxy URL] [--json] [--data DIR] [--database URL]',
      },
      { name: 'list', summary: 'every agency, its jurisdiction and endpoints', usage: 'earwitness agency list [--json] [--data DIR] [--database URL]' },
      {
        name: 'update',
        summary: "change an agency's name, classes, jurisdiction or endpoints",
        usage:
          'earwitness agency update ID|NAME [--name NAME] [--geojson FILE] [--classes c1,c2] [--accepts S1,S2] [--keep-endpoint ID]...\n' +
          '    [--url URL --format F --secret S [--client-cert FILE --client-key FILE] [--ca FILE] [--proxy URL]]... [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'remove',
        summary: 'remove an agency; its queued deliveries are cancelled',
        usage: 'earwitness agency remove ID|NAME [--data DIR] [--database URL]',
      },
    ],
    details: [
      '--url may repeat (one endpoint each); --format and --secret (or --secret-file FILE) are given once for all, or once per --url,',
      'and so are --client-cert, --client-key, --ca and --proxy (PEM files: the key unencrypted; never printed back).',
      '--accepts: the CAP statuses the agency takes (default Actual only: no exercise or test ever reaches it).',
      "update: with --keep-endpoint or --url, the endpoints become exactly the kept ones plus the new ones (a left-out endpoint's queued",
      'deliveries are cancelled); without, they stay. Incidents already routed keep their agencies; new ones follow the new jurisdiction.',
    ].join('\n'),
    load: async () => (await import('./agency.ts')).run,
  },
  {
    name: 'outcomes',
    summary: "agencies' outcome keys, officers' links, the programme's figures and its public report",
    usage: 'earwitness outcomes key-issue|keys|key-retire|link|figures|report ...',
    subcommands: [
      {
        name: 'key-issue',
        summary: "a key an agency's CAD signs outcome callbacks with; the secret is printed once",
        usage: 'earwitness outcomes key-issue AGENCY_ID [--json] [--data DIR] [--database URL]',
      },
      { name: 'keys', summary: 'every outcome key (never a secret)', usage: 'earwitness outcomes keys [--json] [--data DIR] [--database URL]' },
      {
        name: 'key-retire',
        summary: 'stop accepting callbacks signed with a key',
        usage: 'earwitness outcomes key-retire KEY_ID [--data DIR] [--database URL]',
      },
      {
        name: 'link',
        summary: "an officer's one-use link to report on an incident",
        usage: 'earwitness outcomes link INCIDENT_ID [--agency ID] [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'figures',
        summary: "the programme's figures for a period",
        usage: 'earwitness outcomes figures --from DAY --to DAY [--agency ID] [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'report',
        summary: 'the public transparency report',
        usage: 'earwitness outcomes report --from DAY --to DAY [--agency ID] --format html|csv|geojson --out FILE [--force] [--data DIR] [--database URL]',
      },
    ],
    details: 'See docs/outcomes/README.md for the callback protocol and how each figure is counted.',
    load: async () => (await import('./outcomes.ts')).run,
  },
  {
    name: 'source',
    summary: 'list the alert sources (sensor networks) and mark each live, exercise or test',
    usage: 'earwitness source list|set|key ...',
    subcommands: [
      {
        name: 'list',
        summary: 'every source, its status and the CAP status its alerts publish as',
        usage: 'earwitness source list [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'set',
        summary: 'mark a source live (Actual), exercise or test',
        usage: 'earwitness source set NAME --status live|exercise|test [--note TEXT] [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'key',
        summary: 'issue, list or revoke the keys a sensor network pushes its alerts with (earwitness push, POST /intake/v1/alerts)',
        usage: [
          'earwitness source key issue NAME [--out FILE] [--note TEXT] [--json] [--data DIR] [--database URL]',
          'earwitness source key list [--json] [--data DIR] [--database URL]',
          'earwitness source key revoke ID [--json] [--data DIR] [--database URL]',
        ].join('\n'),
      },
    ],
    details: [
      'A source nobody marked publishes as Exercise; a simulated network (demo-*) is never live. Audited.',
      'key issue prints the key once (or writes it to --out FILE, mode 0600, never over an existing file);',
      "only its SHA-256 is kept. A key answers for its source's alerts only. See docs/centre.md.",
      `key takes --database: ${DATABASE.trim()}`,
    ].join('\n'),
    load: async () => (await import('./source.ts')).run,
  },
  {
    name: 'identity',
    summary: 'show or set who this centre is in what agencies receive (CAP sender, sender name, instance, lifetimes, audio-link address)',
    usage: 'earwitness identity show|set ...',
    subcommands: [
      { name: 'show', summary: 'the publishing identity', usage: 'earwitness identity show [--json] [--data DIR] [--database URL]' },
      {
        name: 'set',
        summary: 'change it (audited)',
        usage:
          'earwitness identity set [--sender S] [--sender-name TEXT] [--instance TAG] [--message-lifetime MIN] [--link-lifetime H]\n' +
          '    [--link-base URL|""] [--rotate-link-key] [--json] [--data DIR] [--database URL]',
      },
    ],
    details: 'A CAP sender has no spaces, commas, < or &. --rotate-link-key stops every audio link sent so far.',
    load: async () => (await import('./identity.ts')).run,
  },
  {
    name: 'push',
    summary: "the reference sender a sensor network runs: push acoustic-alert/1 bundles to a centre's intake with the network's key",
    usage: [
      'earwitness push DIR... --to URL --key-file FILE [--ca FILE] [--retries N]',
      'earwitness push --demo [--alerts N] [--interval LOW-HIGH] [--seed S] [--network FILE] --to URL --key-file FILE [--ca FILE]',
    ].join('\n       '),
    details: [
      '  DIR             a bundle (a folder with alert.json and its clips), or a folder of bundles (as `earwitness demo --out` makes)',
      '  --demo          be the demo sensor network: simulate an alert now, send it, wait LOW-HIGH seconds (default 20-40), and',
      '                  again, N times (default: until stopped with Ctrl-C). A centre takes its demo alerts through its intake this way.',
      "  --to URL        the centre's address (https://review.example:8443; plain http only to 127.0.0.1 or localhost)",
      '  --key-file FILE the key an administrator issued for this network (earwitness source key issue NAME --out FILE)',
      "  --ca FILE       a private CA's certificate (PEM) the centre's certificate is checked against",
      '  --retries N     how many times one bundle is sent again when the centre is busy (429), waiting as its Retry-After says (default 5)',
      'Bundles are sent one at a time, each as one multipart/form-data POST to /intake/v1/alerts. One line per bundle:',
      "accepted (the alert id), duplicate (stored before; nothing changed) or refused (the centre's reason).",
      'A refused key stops the run. Exit status 0 when nothing was refused, 1 when anything was. See docs/centre.md.',
    ].join('\n'),
    load: async () => (await import('./push.ts')).run,
  },
  {
    name: 'receive',
    summary: 'the reference receiver an agency runs: verify (HMAC, timestamp window, idempotency) and store what Earwitness sends',
    usage: 'earwitness receive --secret-file FILE [--port N] [--host ADDR] [--out DIR] [--window SECONDS] [--record FILE] [--echo]',
    details: [
      '--secret-file: one signing secret per line, or /path=secret to use a secret for one path prefix (# starts a comment).',
      '--out DIR: every accepted message in DIR/messages, every request in DIR/receipts.jsonl (idempotency keys survive a restart).',
      '--window: how far the X-Earwitness-Timestamp may be from this clock (default 300 s). --record FILE: each request as a JSON line, body included.',
      'Listens on 127.0.0.1 unless --host says otherwise; prints {"port": N} first. Answers 401 to a bad signature, a stale timestamp or no Idempotency-Key;',
      '200 to a repeat of a key it already stored, storing nothing. See docs/publish/README.md.',
    ].join('\n'),
    load: async () => (await import('./receive.ts')).run,
  },
  {
    name: 'backup',
    summary: "copy this workstation's data folder while it runs: the database, audit anchors, clips and maps, verified",
    usage: 'earwitness backup --out DIR [--data DIR] [--no-verify]',
    details: [
      '  --out DIR       a folder that does not exist yet, outside the data folder: the backup is itself a data folder',
      DATA,
      '  --no-verify     skip `audit verify` on the copy (it re-hashes every clip)',
      "The database is copied with SQLite's online backup, so a running server or app may go on working.",
      'The folder appears only once the copy verifies: its audit chain, records and every clip. To restore,',
      'stop the app and put the folder where the data folder was (or serve it with --data DIR).',
      "A centre's PostgreSQL database is backed up with PostgreSQL's own tools: docs/centre.md, Backups.",
      'Exit status 0 when the backup was made, 1 when it could not be (nothing kept), 2 for a usage error.',
    ].join('\n'),
    load: async () => (await import('./backup.ts')).run,
  },
  {
    name: 'audit',
    summary: 'verify the audit chain and every clip, export the chain for a court, write incident reports, compute review statistics',
    usage: 'earwitness audit verify|export|report|stats ...',
    subcommands: [
      {
        name: 'verify',
        summary: 'check the hash chain, the records and every clip',
        usage: 'earwitness audit verify [--data DIR] [--database URL] [--no-clips] [--anchor SEQ:HASH]... [--receipt FILE]... [--json]',
      },
      {
        name: 'export',
        summary: 'write the whole chain with its head hash',
        usage: 'earwitness audit export --out FILE [--format jsonl|json] [--force] [--data DIR] [--database URL]',
      },
      {
        name: 'report',
        summary: "an incident's history as an HTML report",
        usage: 'earwitness audit report --alert ID --out FILE.html [--force] [--data DIR] [--database URL]',
      },
      {
        name: 'stats',
        summary: 'review agreement and times for a period',
        usage: 'earwitness audit stats --from TIME --to TIME [--budget SECONDS] [--csv | --json] [--out FILE] [--data DIR] [--database URL]',
      },
    ],
    load: async () => (await import('./audit.ts')).run,
  },
  {
    name: 'dataset',
    summary: 'labelling projects: import audio, import and export labels (audiofolder, Raven, Audacity, JSON Lines)',
    usage: 'earwitness dataset projects|create-project|import-audio|add-alerts|clips|labels|import|export ... [--data DIR] [--database URL] [--json]',
    subcommands: [
      { name: 'projects', summary: 'list labelling projects', usage: 'earwitness dataset projects [--json] [--data DIR] [--database URL]' },
      {
        name: 'create-project',
        summary: 'a new project, with the default label classes unless told otherwise',
        usage: 'earwitness dataset create-project NAME [--description TEXT] [--empty-taxonomy] [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'import-audio',
        summary: 'WAV files or folders as clips',
        usage:
          'earwitness dataset import-audio PATH... --project NAME [--site SITE] [--recording-per-folder] [--strict] [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'add-alerts',
        summary: 'alerts already in the store, each track a clip',
        usage: 'earwitness dataset add-alerts ALERT_ID... --project NAME [--site SITE] [--json] [--data DIR] [--database URL]',
      },
      { name: 'clips', summary: "a project's clips", usage: 'earwitness dataset clips --project NAME [--json] [--data DIR] [--database URL]' },
      { name: 'labels', summary: "a project's labels", usage: 'earwitness dataset labels --project NAME [--clip ID] [--json] [--data DIR] [--database URL]' },
      {
        name: 'import',
        summary: "labels from a Raven table (BirdNET's too), an Audacity label track or JSON Lines",
        usage:
          'earwitness dataset import FILE --clip ID [--format auto|raven|audacity|jsonl] [--channel N] [--label-column NAME] [--json] [--data DIR] [--database URL]\n' +
          'earwitness dataset import FILE.jsonl --project NAME [--json] [--data DIR] [--database URL]',
      },
      {
        name: 'export',
        summary: 'labels and audio as audiofolder, Raven, Audacity or JSON Lines',
        usage:
          'earwitness dataset export --project NAME --format audiofolder|raven|audacity|jsonl --out DIR\n' +
          '    [--unit label|clip] [--split-by alert|incident|recording|site|sensor|date|clip] [--splits 0.8,0.1,0.1] [--seed TEXT] [--allow-leaks]\n' +
          '    [--label NAME]... [--clip ID]... [--annotator NAME]... [--json] [--data DIR] [--database URL]',
      },
    ],
    details: ['Formats: docs/dataset/README.md.', DATABASE].join('\n'),
    load: async () => (await import('./dataset.ts')).run,
  },
];
