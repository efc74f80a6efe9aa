-- configurations.sql: server options that open OS-command or code-execution paths, and audit-mode options.
-- Reads: sys.configurations (value = configured, value_in_use = running). Permission: none (public).
SELECT c.configuration_id, c.name, c.value, c.value_in_use, c.is_advanced
FROM sys.configurations AS c
WHERE c.name IN (N'xp_cmdshell', N'clr enabled', N'clr strict security', N'Ole Automation Procedures',
                 N'external scripts enabled', N'cross db ownership chaining', N'c2 audit mode',
                 N'common criteria compliance enabled', N'Ad Hoc Distributed Queries')
