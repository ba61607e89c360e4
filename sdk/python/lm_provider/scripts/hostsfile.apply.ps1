# hostsfile.apply: make the lines of the hosts file owned by Owner exactly Entries (none: remove
# them). Read, compare and change in one invocation under a machine-wide mutex; the new file is
# written next to the old one and replaces it; every other byte (encoding, line ends, comments,
# order) stays. A line lm-provider does not own that maps one of the names to another address
# refuses the change, naming that line. Prints the resulting state.
# lm-provider-include: hostsfile
$owner = [string]$LmParams.Owner
if ($owner -cnotmatch $LmOwnerPattern) { throw ('Owner: ' + $owner + ' is not an lm-provider owner tag (16 hex digits)') }
$desired = @()
$wanted = @{}
foreach ($entry in @($LmParams.Entries)) {
    $address = [string]$entry.address
    $names = @($entry.names | ForEach-Object { [string]$_ })
    if ($address -cnotmatch $LmIPv4) { throw ('Entries: ' + $address + ' is not an IPv4 address') }
    if ($names.Count -lt 1 -or $names.Count -gt 9) { throw ('Entries: ' + $address + ' has ' + $names.Count + ' names; 1 to 9 are allowed') }
    foreach ($name in $names) {
        $key = LmHostsKey $name
        if ($key -eq $null -or $name.IndexOfAny([char[]]@([char]35, [char]34, [char]39)) -ge 0) {
            throw ('Entries: ' + $name + ' is not a host name')
        }
        $wanted[$key] = $address
    }
    $desired += $address + ' ' + ($names -join ' ') + ' ' + $LmMarker + $owner
}

$mutex = New-Object System.Threading.Mutex $false, 'Global\lm-provider-hosts-file'
try {
    try { $held = $mutex.WaitOne(60000) } catch [System.Threading.AbandonedMutexException] { $held = $true }
    if (-not $held) { throw 'the hosts file lock (mutex Global\lm-provider-hosts-file) was held by another writer for 60 s' }
    try {
        $file = LmHostsRead $LmHostsPath
        $rows = LmHostsRows $file.Text
        $view = LmHostsClassify $rows $owner $wanted
        if ($view.Conflicts.Count -gt 0) {
            throw ('the hosts file maps a name of this resource to another address on a line lm-provider does not own: ' +
                ($view.Conflicts -join '; ') + '. Change or remove that line, or leave the name out.')
        }
        $nl = [string][char]10
        $changed = ($view.Owned.Count -ne $desired.Count) -or (($view.Owned -join $nl) -cne ($desired -join $nl))
        if ($changed) {
            $newline = [string][char]13 + $nl
            if (-not $file.Text.Contains($newline) -and $file.Text.Contains($nl)) { $newline = $nl }
            $at = $view.OwnedAt
            if ($at -lt 0) { $at = $view.Kept.Count }
            $builder = New-Object System.Text.StringBuilder
            $lastEnd = ''
            for ($i = 0; $i -le $view.Kept.Count; $i++) {
                if ($i -eq $at) {
                    foreach ($line in $desired) { [void]$builder.Append($line).Append($newline); $lastEnd = $newline }
                }
                if ($i -lt $view.Kept.Count) {
                    $end = [string]$view.Kept[$i].End
                    if ($end -eq '') { $end = $newline }
                    [void]$builder.Append([string]$view.Kept[$i].Content).Append($end)
                    $lastEnd = $end
                }
            }
            if ($rows.Count -gt 0 -and $rows[$rows.Count - 1].End -eq '') { $builder.Length = $builder.Length - $lastEnd.Length }
            $text = $builder.ToString()
            $bytes = [byte[]]($file.Mark + $file.Encoding.GetBytes($text))
            $temp = Join-Path ([System.IO.Path]::GetDirectoryName($LmHostsPath)) ('hosts.lm-provider-' + [guid]::NewGuid().ToString('N') + '.tmp')
            [System.IO.File]::WriteAllBytes($temp, $bytes)
            try {
                if (Test-Path -LiteralPath $LmHostsPath -PathType Leaf) {
                    [System.IO.File]::Replace($temp, $LmHostsPath, [NullString]::Value)
                } else {
                    [System.IO.File]::Move($temp, $LmHostsPath)
                }
            } finally {
                if (Test-Path -LiteralPath $temp) { Remove-Item -LiteralPath $temp -Force -Confirm:$false }
            }
            $view = LmHostsClassify (LmHostsRows $text) $owner $wanted
        }
    } finally {
        $mutex.ReleaseMutex()
    }
} finally {
    $mutex.Close()
}
LmHostsResult $view $changed
exit 0
