# Every VM of the host: name, state and notes (the migration probe carries its marker in Notes).
$vms = @(Get-VM | ForEach-Object { New-Object PSObject -Property @{ Name = $_.Name; State = [string]$_.State; Notes = [string]$_.Notes } })
ConvertTo-Json -InputObject @($vms) -Compress -Depth 3
exit 0
