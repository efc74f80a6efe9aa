-- session.sql: transport of the audit's own connection, from the connection itself.
-- Reads: CONNECTIONPROPERTY (net_transport, protocol_type, auth_scheme, client_net_address). Permission: none.
SELECT CONVERT(nvarchar(40), CONNECTIONPROPERTY('net_transport')) AS net_transport,
       CONVERT(nvarchar(40), CONNECTIONPROPERTY('protocol_type')) AS protocol_type,
       CONVERT(nvarchar(40), CONNECTIONPROPERTY('auth_scheme')) AS auth_scheme,
       CONVERT(varchar(48), CONNECTIONPROPERTY('client_net_address')) AS client_net_address
