/** The commented starter file `qrtz-audit init` writes (test/runconfig proves it parses and validates). */
export const STARTER_CONFIG = `# qrtz-audit configuration: qrtz-audit scan --config qrtz-audit.yml
# Flags given on the command line override the values here. Relative paths are taken from this file's
# directory. An unknown key is an error (file, line, path and what was expected).
version: 1

# Passwords only by reference: passwordEnv (an environment variable), passwordFile (a file of mode 0600),
# or the driver's own (~/.pgpass, pg_service.conf, ~/.my.cnf, PGPASSWORD / MYSQL_PWD). A password written
# here, or inside a URL, is an error.
targets:
  - name: billing                      # letters, digits, . _ - (directory and metric label)
    url: postgres://qrtz_auditor@db1.internal:5432/quartz
    schema: quartz
    serviceAccount: quartz_app
    passwordEnv: BILLING_AUDITOR_PASSWORD
  - name: reports
    dialect: mariadb                   # postgres, mysql, mariadb, mssql or sqlite, with its parts:
    host: db2.internal
    port: 3306
    database: quartz
    user: qrtz_auditor
    passwordFile: /run/secrets/reports-auditor   # chmod 600
    failOn: critical                   # a per-target override of any setting below
  - name: local-demo
    dialect: sqlite
    path: quartz-demo.db                 # qrtz-audit demo --keep quartz-demo.db writes one

# Settings for every target (a target may override each of them):
# allowPrincipals: [dba_team]         # principals expected to have access
# allowTypes: ["MyCompany.Jobs.*"]    # types allowed in blobs beyond the built-in allowlist
# allowJobNamespaces: ["MyCompany.Jobs."]
# only: [grants, content]             # check families (grants, encryption, audit, content, scheduler, updates, config; blobs)
# skip: [updates]
failOn: high                          # critical, high, medium or low
# allowIncomplete: false
thresholds:
  maxBlobSize: 16777216               # bytes (at most 1 GiB)
  statementTimeout: 30s               # milliseconds or ms, s, min, h
  lockTimeout: 2s
  connectTimeout: 10s
  # misfireThreshold: 60              # minutes (QA-H02)
  # longRunning: 240                  # minutes (QA-H04)
  # checkinStale: 10                  # minutes (QA-H03)
# severityOverrides:
#   QA-J04: low                       # check id: critical, high, medium, low or info
# attestations:
#   at-rest: "LUKS on the data volume, SEC-12"

# Suppressions: the same entries as .qrtz-audit-ignore.yml
# suppressions:
#   - check: QA-S01
#     object: "QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.*"
#     reason: synthetic test rows, rotated in CHG-1234
#     expires: 2026-12-31
# baseline: baseline.json
# fingerprintKeyEnv: QRTZ_AUDIT_FINGERPRINT_KEY

# Several targets make a fleet scan: a merged report plus one directory per target.
concurrency: 2
outputs:
  formats: [json, sarif, markdown]
  dir: qrtz-audit-reports
`;
