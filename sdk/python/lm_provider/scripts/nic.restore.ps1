# nic.restore: put back the values given (null: leave alone) on the adapter with MacAddress; no
# adapter with that MAC is not an error (it is gone).
# lm-provider-include: adapter
$adapter = LmAdapterByMac ([string]$LmParams.MacAddress)
if (-not $adapter) {
    @{ Adapter = $null } | ConvertTo-Json -Compress
    exit 0
}
$index = [int]$adapter.ifIndex
if ($null -ne $LmParams.Name) {
    foreach ($other in @(Get-NetAdapter | Where-Object { [int]$_.ifIndex -ne $index -and $_.Name -eq [string]$LmParams.Name })) {
        throw ('cannot rename {0} back to {1}: another adapter has that name' -f $adapter.Name, $other.Name)
    }
}
$want = @{
    Name = $LmParams.Name; Dhcp = $LmParams.Dhcp; Ipv4Addresses = $LmParams.Ipv4Addresses
    DnsServers = $LmParams.DnsServers; RegisterDns = $LmParams.RegisterDns; Bindings = (LmTable $LmParams.Bindings)
    AutomaticMetric = $LmParams.AutomaticMetric; InterfaceMetric = $LmParams.InterfaceMetric
    Forwarding = $LmParams.Forwarding; JumboPacket = $LmParams.JumboPacket; Netbios = $LmParams.Netbios
}
LmSetAdapter $adapter $want
@{ Adapter = (LmAdapterFacts (Get-NetAdapter -InterfaceIndex $index)) } | ConvertTo-Json -Compress -Depth 8
exit 0
