# The hosts-file rules of hostsfile.read and hostsfile.apply (stated in lm_provider/models/hosts_text.py).
# Lines end in CRLF or LF; the comment starts at the first '#'; names compare whole-token and
# case-insensitively, printable ASCII only; our lines are those whose comment is '# lm-provider:<owner>'.
$LmHostsPath = Join-Path $env:SystemRoot 'System32\drivers\etc\hosts'
$LmMarker = '# lm-provider:'
$LmIPv4 = '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'
$LmOwnerPattern = '^[0-9a-f]{16}$'

function LmHostsRead {
    # The file as text that encodes back to the very same bytes: UTF-16 by its byte-order mark,
    # anything else one character per byte (ISO-8859-1), a UTF-8 byte-order mark kept apart.
    param([string]$Path)
    $bytes = New-Object byte[] 0
    if (Test-Path -LiteralPath $Path -PathType Leaf) { $bytes = [System.IO.File]::ReadAllBytes($Path) }
    $encoding = [System.Text.Encoding]::GetEncoding(28591)
    $skip = 0
    if ($bytes.Length -ge 2 -and $bytes[0] -eq 0xFF -and $bytes[1] -eq 0xFE) {
        $encoding = New-Object System.Text.UnicodeEncoding $false, $false
        $skip = 2
    } elseif ($bytes.Length -ge 2 -and $bytes[0] -eq 0xFE -and $bytes[1] -eq 0xFF) {
        $encoding = New-Object System.Text.UnicodeEncoding $true, $false
        $skip = 2
    } elseif ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) {
        $skip = 3
    }
    $mark = New-Object byte[] $skip
    [System.Array]::Copy($bytes, $mark, $skip)
    $text = $encoding.GetString($bytes, $skip, $bytes.Length - $skip)
    New-Object PSObject -Property @{ Encoding = $encoding; Mark = $mark; Text = $text }
}

function LmHostsRows {
    # The lines with their own ends (CRLF or LF); the last line may have none.
    param([string]$Text)
    $rows = New-Object System.Collections.ArrayList
    $start = 0
    foreach ($m in [regex]::Matches($Text, '\r?\n')) {
        $row = New-Object PSObject -Property @{ Content = $Text.Substring($start, $m.Index - $start); End = $m.Value }
        [void]$rows.Add($row)
        $start = $m.Index + $m.Length
    }
    if ($start -lt $Text.Length) {
        [void]$rows.Add((New-Object PSObject -Property @{ Content = $Text.Substring($start); End = '' }))
    }
    ,$rows
}

function LmHostsKey {
    # The comparison key of a name or token: lower case; $null unless printable ASCII.
    param([string]$Token)
    if ($Token -cmatch '^[\x21-\x7E]+$') { return $Token.ToLowerInvariant() }
    return $null
}

function LmHostsClassify {
    # Our rows, the others kept in order, the other IPv4 lines naming a wanted name, and conflicts
    # (a wanted name on such a line with another address than $Wanted gives it; $null: no check).
    param($Rows, [string]$Owner, [hashtable]$Wanted)
    $owned = @()
    $ownedAt = -1
    $kept = New-Object System.Collections.ArrayList
    $others = @()
    $conflicts = @()
    for ($i = 0; $i -lt $Rows.Count; $i++) {
        $content = [string]$Rows[$i].Content
        $hash = $content.IndexOf([char]35)
        $data = $content
        $comment = ''
        if ($hash -ge 0) { $data = $content.Substring(0, $hash); $comment = $content.Substring($hash) }
        if ($comment -ceq ($LmMarker + $Owner)) {
            if ($ownedAt -lt 0) { $ownedAt = $kept.Count }
            $owned += $content
            continue
        }
        [void]$kept.Add($Rows[$i])
        $tokens = @($data.Split([char[]]@([char]32, [char]9), [System.StringSplitOptions]::RemoveEmptyEntries))
        if ($tokens.Count -lt 2 -or $tokens[0] -cnotmatch $LmIPv4) { continue }
        $named = $false
        for ($t = 1; $t -lt $tokens.Count; $t++) {
            $key = LmHostsKey $tokens[$t]
            if ($key -eq $null -or -not $Wanted.ContainsKey($key)) { continue }
            $named = $true
            $address = $Wanted[$key]
            if ($address -ne $null -and $address -cne $tokens[0]) {
                $conflicts += 'line ' + ($i + 1) + " ('" + $content + "') maps " + $tokens[$t] + ' to ' + $tokens[0] +
                    ', not ' + $address
            }
        }
        if ($named) { $others += New-Object PSObject -Property @{ Line = $i + 1; Text = $content } }
    }
    New-Object PSObject -Property @{ Owned = $owned; OwnedAt = $ownedAt; Kept = $kept; Others = $others; Conflicts = $conflicts }
}

function LmHostsResult {
    # The one JSON line both ops print.
    param($View, [bool]$Changed)
    $result = New-Object PSObject -Property @{ Changed = $Changed; Owned = @($View.Owned); Others = @($View.Others) }
    $result | ConvertTo-Json -Compress -Depth 4
}
