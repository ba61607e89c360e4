# nic.read: the adapter with MacAddress (null when none has it) as host.facts reports adapters, and
# the management interface's metric (the lowest default route, other than this adapter).
# lm-provider-include: adapter
$adapter = LmAdapterByMac ([string]$LmParams.MacAddress)
$facts = $null
$excluding = -1
if ($adapter) {
    $facts = LmAdapterFacts $adapter
    $excluding = [int]$adapter.ifIndex
}
$management = LmManagementInterface $excluding
$managementMetric = $null
if ($management) { $managementMetric = [int]$management.InterfaceMetric }
@{ Adapter = $facts; ManagementMetric = $managementMetric } | ConvertTo-Json -Compress -Depth 8
exit 0
