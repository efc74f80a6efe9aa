/**
 * SQL Server specific facts, typed (no `facts.extra`). The normalized parts (principals, memberships,
 * grants, effective, tamper, settings, session, tableEncryption, server) go into the shared Facts fields;
 * what only SQL Server has lives here, in capability terms a check can judge without knowing T-SQL.
 *
 * Conventions: `null` = could not be seen (the matching `Facts.unreadable` entry says which permission
 * would show it); `undefined` never means "no". Names are as the catalog holds them (hostile input:
 * reports must escape them).
 */

/** A principal that reaches a capability, and how (e.g. ['sysadmin'], ['EXECUTE on xp_cmdshell'], ['(dbo)']). */
export interface Reach {
  principal: string;
  /** 'login' = server principal, 'user' = database principal. */
  level: 'login' | 'user';
  via: string[];
}

export interface MssqlServerRoleMember {
  login: string;
  role: string;
}

export interface MssqlServerPermission {
  grantee: string;
  permission: string;
  state: 'GRANT' | 'GRANT_WITH_GRANT_OPTION' | 'DENY';
  /** SERVER, SERVER_PRINCIPAL, ENDPOINT… */
  classDesc: string;
}

export interface MssqlLogin {
  name: string;
  /** sys.server_principals.type: S SQL login, U Windows login, G Windows group, E/X Entra, C/K certificate/key. */
  type: string;
  sqlLogin: boolean;
  disabled: boolean;
  /** CHECK_POLICY / CHECK_EXPIRATION (SQL logins only; null for others or when not visible). */
  policyChecked: boolean | null;
  expirationChecked: boolean | null;
  /** The built-in sa login (sid 0x01), whatever it is named. */
  isSa: boolean;
}

export interface MssqlTdeState {
  database: string;
  /** sys.dm_database_encryption_keys.encryption_state (0–6). */
  state: number;
  /** NONE, UNENCRYPTED, ENCRYPTION_IN_PROGRESS, ENCRYPTED, KEY_CHANGE_IN_PROGRESS, DECRYPTION_IN_PROGRESS,
   *  PROTECTION_CHANGE_IN_PROGRESS (from the column on 2019+, derived from `state` before). */
  stateDesc: string;
  /** True only in state 3 (encrypted) or 4/6 (key/protection change on an encrypted database). */
  encrypted: boolean;
  inProgress: boolean;
  /** 2019+: RUNNING, SUSPENDED, ABORTED…; null before 2019. */
  scanState: string | null;
  keyAlgorithm: string | null;
  keyLength: number | null;
  /** CERTIFICATE, ASYMMETRIC KEY… */
  encryptorType: string | null;
  percentComplete: number | null;
}

export interface MssqlAuditAction {
  /** audit_action_name: an action (SELECT, INSERT…) or an action group (SCHEMA_OBJECT_CHANGE_GROUP…). */
  action: string;
  isGroup: boolean;
  /** DATABASE, SCHEMA, OBJECT_OR_COLUMN… */
  classDesc: string;
  /** The securable: 'dbo.QRTZ_TRIGGERS', 'dbo' (schema), '' (database / server). */
  securable: string;
  /** The audited principal (e.g. public), when the action is per principal. */
  principal: string | null;
}

export interface MssqlAuditSpecification {
  name: string;
  level: 'database' | 'server';
  enabled: boolean;
  /** Name of the server audit it writes to (matched on audit_guid); null when that audit is not visible. */
  audit: string | null;
  actions: MssqlAuditAction[];
}

export interface MssqlServerAudit {
  name: string;
  /** FILE, SECURITY LOG, APPLICATION LOG, URL, EXTERNAL_MONITOR. */
  target: string;
  enabled: boolean;
  /** CONTINUE, SHUTDOWN SERVER INSTANCE, FAIL_OPERATION. */
  onFailure: string;
  /** sys.dm_server_audit_status.status_desc (STARTED, FAILED…); null when the DMV is not visible. */
  status: string | null;
}

export interface MssqlTrigger {
  name: string;
  /** 'dml' on a table or view; 'database-ddl' on the database. */
  kind: 'dml' | 'database-ddl';
  /** Parent object (schema.name) for DML triggers. */
  parent: string | null;
  /** Logical Quartz table when the parent is one. */
  quartzTable: string | null;
  disabled: boolean;
  insteadOf: boolean;
  /** INSERT, UPDATE, DELETE, CREATE_TABLE, DDL_DATABASE_LEVEL_EVENTS… */
  events: string[];
  /** CLR trigger (type TA) rather than T-SQL (TR). */
  clr: boolean;
}

export interface MssqlFacts {
  version: {
    productVersion: string;
    /** Major version: 13 = 2016, 14 = 2017, 15 = 2019, 16 = 2022, 17 = 2025. */
    major: number | null;
    productLevel: string;
    edition: string;
    /** SERVERPROPERTY('EngineEdition'): 2 Standard, 3 Enterprise/Developer, 4 Express, 5 Azure SQL Database, 8 Managed Instance… */
    engineEdition: number | null;
  };
  /** The audit's own connection. */
  connection: {
    source: 'url' | 'connection-string';
    encryptRequested: boolean | 'strict';
    /** TrustServerCertificate: the certificate was accepted without validation (blind trust). */
    trustServerCertificate: boolean;
    /** sys.dm_exec_connections.encrypt_option as the server sees it; null when not visible. */
    encryptOption: boolean | null;
    netTransport: string | null;
    authScheme: string | null;
    /** Keys of the connection string accepted without effect (pool tuning…). */
    ignoredKeys: string[];
  };
  /** How the scan reads without blocking the scheduler (see README "SQL Server: non-interference"). */
  isolation: {
    used: 'snapshot' | 'read-committed-snapshot' | 'read-committed';
    snapshotIsolationState: string | null;
    readCommittedSnapshot: boolean | null;
    lockTimeoutMs: number;
  };
  database: {
    name: string;
    ownerLogin: string | null;
    /** Owner is the sa login (sid 0x01). */
    ownerIsSa: boolean | null;
    /** Owner is sa or a member of sysadmin (null when server role membership is not visible). */
    ownerIsSysadmin: boolean | null;
    trustworthy: boolean | null;
    dbChaining: boolean | null;
    isEncrypted: boolean | null;
    compatibilityLevel: number | null;
  };
  /** The service account's database user and its login. */
  serviceUser: {
    name: string;
    login: string | null;
    defaultSchema: string | null;
    /** Mapped to dbo (owns the database). */
    isDbo: boolean;
    /** Member (directly or through nested roles) of these fixed database roles. */
    fixedRoles: string[];
    /** Member of these server roles (null = not visible). */
    serverRoles: string[] | null;
    /** Effective server permissions of its login (null = not visible). */
    serverPermissions: string[] | null;
    /** sysadmin, or CONTROL SERVER (null = not visible). */
    serverAdmin: boolean | null;
  };
  /** Capabilities a compromised service account could use beyond the Quartz tables. */
  capabilities: {
    osCommand: {
      /** sys.configurations 'xp_cmdshell' value_in_use. */
      xpCmdshellEnabled: boolean | null;
      /** Who can run xp_cmdshell: sysadmin members, CONTROL SERVER holders, EXECUTE grantees in master. */
      reachableBy: Reach[];
      /** Whether the service account is among them (null = not visible). */
      serviceAccountCan: boolean | null;
    };
    clr: {
      enabled: boolean | null;
      strictSecurity: boolean | null;
      /** User-defined assemblies with their permission set (SAFE, EXTERNAL_ACCESS, UNSAFE_ACCESS). */
      assemblies: { name: string; permissionSet: string; userDefined: boolean }[];
    };
    oleAutomation: boolean | null;
    externalScripts: boolean | null;
    adHocDistributedQueries: boolean | null;
    /** Server option 'cross db ownership chaining'. */
    crossDbOwnershipChaining: boolean | null;
    /** TRUSTWORTHY database owned by a sysadmin: any db_owner can become sysadmin. */
    trustworthyEscalation: boolean | null;
  };
  /** Server-level security (null lists = not visible). */
  serverSecurity: {
    roleMembers: MssqlServerRoleMember[] | null;
    permissions: MssqlServerPermission[] | null;
  };
  /** `guest` holds CONNECT in the audited database. */
  guestEnabled: boolean | null;
  logins: {
    list: MssqlLogin[] | null;
    /** The sa login (sid 0x01) is enabled. */
    saEnabled: boolean | null;
    /** SERVERPROPERTY('IsIntegratedSecurityOnly') = 0: SQL logins accepted. */
    mixedMode: boolean | null;
  };
  tde: {
    database: MssqlTdeState | null;
    tempdb: MssqlTdeState | null;
    /** sys.databases.is_encrypted (1 also while encrypting): the fallback when the DMV is not visible. */
    isEncrypted: boolean | null;
    tempdbIsEncrypted: boolean | null;
  };
  /** Recent backups of the database (null = msdb.dbo.backupset not visible). */
  backups: { finished: string | null; type: string; encrypted: boolean; keyAlgorithm: string | null }[] | null;
  /** Always Encrypted columns of the Quartz tables (info). */
  alwaysEncrypted: { table: string; column: string; encryptionType: string }[];
  audit: {
    servers: MssqlServerAudit[] | null;
    specifications: MssqlAuditSpecification[] | null;
    /** c2 audit mode / common criteria compliance enabled (sys.configurations). */
    c2AuditMode: boolean | null;
    commonCriteria: boolean | null;
    /**
     * The registry "login auditing" level (none / failed / successful / both) is not exposed by any catalog
     * view; the audit reads no registry (xp_instance_regread is not used). What is visible: server audit
     * specifications with FAILED_LOGIN_GROUP / SUCCESSFUL_LOGIN_GROUP.
     */
    loginAuditing: {
      registryLevel: 'not-visible';
      failedLoginsAudited: boolean | null;
      successfulLoginsAudited: boolean | null;
    };
  };
  triggers: MssqlTrigger[] | null;
  /** Objects named like a Quartz table that are not the Quartz table (views, synonyms, other-schema tables). */
  shadows: { schema: string; name: string; type: string; target?: string; inDefaultSchema: boolean }[];
}
