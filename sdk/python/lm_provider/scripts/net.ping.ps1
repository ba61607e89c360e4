# Don't-fragment pings from one local address to each target: ping.exe's output and exit code.
# (Test-Connection has no -DontFragment in Windows PowerShell 5.1, so ping.exe it is.)
$results = @()
foreach ($target in @($LmParams.Targets)) {
    $pingArgs = @('-n', '1', '-l', [string][int]$LmParams.Size, '-S', [string]$LmParams.Source)
    if ($LmParams.DontFragment) { $pingArgs += '-f' }
    $pingArgs += [string]$target
    $output = & ping.exe @pingArgs 2>&1 | Out-String
    $results += New-Object PSObject -Property @{ Target = [string]$target; Output = $output; ExitCode = $LASTEXITCODE }
}
ConvertTo-Json -InputObject @($results) -Compress -Depth 3
exit 0
