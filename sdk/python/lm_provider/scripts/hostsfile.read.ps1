# hostsfile.read: the lines of the hosts file owned by Owner, and the other IPv4 lines naming one of Names.
# lm-provider-include: hostsfile
$owner = [string]$LmParams.Owner
if ($owner -cnotmatch $LmOwnerPattern) { throw ('Owner: ' + $owner + ' is not an lm-provider owner tag (16 hex digits)') }
$wanted = @{}
foreach ($name in @($LmParams.Names)) {
    $key = LmHostsKey ([string]$name)
    if ($key -ne $null) { $wanted[$key] = $null }
}
$file = LmHostsRead $LmHostsPath
$view = LmHostsClassify (LmHostsRows $file.Text) $owner $wanted
LmHostsResult $view $false
exit 0
