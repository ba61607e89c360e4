# migration.read: the OS, the live migration settings, the TCP 6600 listener list, the IPv4 addresses.
# lm-provider-include: migration
LmMigrationReport $null $false | ConvertTo-Json -Compress -Depth 6
exit 0
