# nic.apply: select the migration adapter, refuse what is unsafe (before any change), set what
# differs, and report the adapter before and after. A failure while setting puts back what was read.
# lm-provider-include: adapter
$adapter = LmSelectAdapter $LmParams.AdapterName $LmParams.MacAddress $LmParams.InterfaceDescription
$index = [int]$adapter.ifIndex
if (@(LmWinRmInterfaces) -contains $index) {
    throw ('refused: {0} carries the WinRM connection of this session; the migration adapter must be another one' -f
        $adapter.Name)
}
$before = LmAdapterFacts $adapter
if ($LmParams.Takeover -and @($before.Routes).Count -gt 0) {
    throw ('refused: {0} has a default route (a gateway); the migration adapter must not be the management adapter' -f
        $adapter.Name)
}
foreach ($address in @(Get-NetIPAddress -AddressFamily IPv4 -IPAddress ([string]$LmParams.IpAddress) -ErrorAction SilentlyContinue)) {
    if ([int]$address.InterfaceIndex -ne $index) {
        throw ('ip_address: {0} is already an address of {1}' -f $LmParams.IpAddress, $address.InterfaceAlias)
    }
}
if ($null -ne $LmParams.NewName) {
    foreach ($other in @(Get-NetAdapter | Where-Object { [int]$_.ifIndex -ne $index -and $_.Name -eq [string]$LmParams.NewName })) {
        throw ('new_name: another adapter is already called {0}' -f $other.Name)
    }
}
$bindings = LmTable $LmParams.Bindings
$components = @($before.Bindings | ForEach-Object { $_.ComponentID })
$unknown = @(@($bindings.Keys) | Where-Object { $components -notcontains $_ })
if ($unknown.Count -gt 0) {
    throw ('bindings: {0} has no component {1}; components: {2}' -f $adapter.Name, ($unknown -join ', '),
        ($components -join ', '))
}
if ($LmParams.DisableUnlistedBindings) {
    foreach ($component in $components) { if (-not $bindings.ContainsKey($component)) { $bindings[$component] = $false } }
}
if ($null -eq $before.JumboPacket) { throw ('jumbo_packet: {0} has no *JumboPacket property' -f $adapter.Name) }
$valid = @($before.JumboPacket.ValidRegistryValues | ForEach-Object { [int]$_ })
$jumbo = $null
foreach ($candidate in @([int]$LmParams.JumboPacket, ([int]$LmParams.JumboPacket - 14), ([int]$LmParams.JumboPacket + 14))) {
    if ($null -eq $jumbo -and $valid -contains $candidate) { $jumbo = $candidate }
}
if ($null -eq $jumbo) {
    throw ("jumbo_packet: {0} cannot take {1} bytes; the driver's valid values: {2}" -f $adapter.Name,
        $LmParams.JumboPacket, ($valid -join ', '))
}
$management = LmManagementInterface $index
$managementMetric = $null
if ($management) { $managementMetric = [int]$management.InterfaceMetric }
$metric = $LmParams.InterfaceMetric
if ($null -eq $metric) {
    if ($null -eq $management) {
        throw 'interface_metric: after-management needs a management adapter (one with a default route); none found: give a number'
    }
    if ($managementMetric -ge 9999) {
        throw ("interface_metric: {0}'s metric is {1}; no metric after it exists: give a number" -f
            $management.InterfaceAlias, $managementMetric)
    }
    $metric = $managementMetric + 1
}
$want = @{
    Name = $LmParams.NewName; Dhcp = $false; RemoveDefaultRoutes = $true; DnsServers = @(); RegisterDns = $false
    Ipv4Addresses = @(@{ IPAddress = [string]$LmParams.IpAddress; PrefixLength = [int]$LmParams.PrefixLength })
    Bindings = $bindings; AutomaticMetric = $false; InterfaceMetric = [int]$metric
    Forwarding = [bool]$LmParams.Forwarding; JumboPacket = $jumbo; Netbios = $LmParams.Netbios
}
try {
    LmSetAdapter $adapter $want
} catch {
    $failure = $_
    try {
        LmSetAdapter (Get-NetAdapter -InterfaceIndex $index) (LmUndoAdapter $before)
    } catch {
        throw ('{0} (putting the adapter back also failed: {1})' -f $failure, $_)
    }
    throw $failure
}
$after = LmAdapterFacts (Get-NetAdapter -InterfaceIndex $index)
@{ Before = $before; After = $after; ManagementMetric = $managementMetric } | ConvertTo-Json -Compress -Depth 8
exit 0
