# Purge the computer's own Kerberos tickets (LocalSystem, logon id 0x3e7), so that a delegation
# changed in AD is used now instead of when the held tickets expire (up to 10 hours) or at reboot.
# Windows PowerShell turns a native command's stderr into errors: under 'Stop' the first one would
# end the script before its exit code is read.
$ErrorActionPreference = 'Continue'
$output = & klist.exe -li 0x3e7 purge 2>&1 | Out-String
$code = $LASTEXITCODE
$ErrorActionPreference = 'Stop'
if ($code -ne 0) {
    throw ("klist.exe -li 0x3e7 purge failed with exit code {0}: {1}" -f $code, $output)
}
ConvertTo-Json -InputObject (New-Object PSObject -Property @{ Output = $output; ExitCode = $code }) -Compress
exit 0
