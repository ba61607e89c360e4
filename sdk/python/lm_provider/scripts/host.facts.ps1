# host.facts: everything the resources read about a host, in one round trip (the lab's host.facts
# answers with the same JSON): adapters, Hyper-V migration settings, networks, TCP 6600 listeners,
# power plan, hosts file.
# lm-provider-include: adapter
# lm-provider-include: migration
$system = Get-CimInstance -ClassName Win32_ComputerSystem
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$vmhost = LmMigrationSettings
$networks = $vmhost.MigrationNetworks
$vmhost.Remove('MigrationNetworks')
$plan = Get-CimInstance -Namespace 'root\cimv2\power' -ClassName Win32_PowerPlan -Filter 'IsActive = TRUE'
$hostsPath = Join-Path $env:SystemRoot 'System32\drivers\etc\hosts'
$facts = @{
    ComputerName = [string]$env:COMPUTERNAME
    Domain = [string]$system.Domain
    PartOfDomain = [bool]$system.PartOfDomain
    OsCaption = [string]$os.Caption
    OsVersion = [string]$os.Version
    PowerShellVersion = ('{0}.{1}' -f $PSVersionTable.PSVersion.Major, $PSVersionTable.PSVersion.Minor)
    Adapters = @(Get-NetAdapter -Physical | Sort-Object -Property ifIndex | ForEach-Object { LmAdapterFacts $_ })
    VMHost = $vmhost
    MigrationNetworks = @($networks)
    MigrationServiceListenerIPAddressList = @(LmListeners)
    PowerPlan = @{ ElementName = [string]$plan.ElementName
                   InstanceID = ([string]$plan.InstanceID -replace '^.*\{(.*)\}$', '$1') }
    HostsFile = [System.IO.File]::ReadAllText($hostsPath)
}
$facts | ConvertTo-Json -Compress -Depth 8
exit 0
