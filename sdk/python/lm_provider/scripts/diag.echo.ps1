# Transport diagnostics: returns `text` repeated `repeat` times, with the computer's name.
$text = [string]$LmParams.text
$repeat = [int]$LmParams.repeat
$result = New-Object PSObject -Property @{ ComputerName = $env:COMPUTERNAME; text = ($text * $repeat) }
$result | ConvertTo-Json -Compress
exit 0
