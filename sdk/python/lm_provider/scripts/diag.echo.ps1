# Transport diagnostics: returns Text repeated Repeat times, with the computer's name.
$text = [string]$LmParams.Text
$repeat = [int]$LmParams.Repeat
$result = New-Object PSObject -Property @{ ComputerName = $env:COMPUTERNAME; text = ($text * $repeat) }
$result | ConvertTo-Json -Compress
exit 0
