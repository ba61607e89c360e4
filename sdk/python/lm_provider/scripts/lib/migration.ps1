# Live migration (host.facts, migration.read, migration.apply, migration.restore): the settings as
# the scripts report them, the TCP 6600 listener list, local addresses, and the setter.

function LmMigrationSettings {
    # Get-VMHost's migration properties (the performance option only where it exists) and the networks.
    $vmhost = Get-VMHost
    $settings = @{
        VirtualMachineMigrationEnabled = [bool]$vmhost.VirtualMachineMigrationEnabled
        VirtualMachineMigrationAuthenticationType = [string]$vmhost.VirtualMachineMigrationAuthenticationType
        UseAnyNetworkForMigration = [bool]$vmhost.UseAnyNetworkForMigration
        MaximumVirtualMachineMigrations = [int]$vmhost.MaximumVirtualMachineMigrations
        MaximumStorageMigrations = [int]$vmhost.MaximumStorageMigrations
        MigrationNetworks = @(Get-VMMigrationNetwork | ForEach-Object {
            @{ Subnet = [string]$_.Subnet; Priority = [int]$_.Priority } })
    }
    if ($vmhost.PSObject.Properties['VirtualMachineMigrationPerformanceOption']) {
        $settings['VirtualMachineMigrationPerformanceOption'] = [string]$vmhost.VirtualMachineMigrationPerformanceOption
    }
    return $settings
}

function LmListeners {
    # MigrationServiceListenerIPAddressList of the migration service (what vmms listens on, TCP 6600).
    $service = Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName Msvm_VirtualSystemMigrationService
    foreach ($address in @($service.MigrationServiceListenerIPAddressList)) { if ($address) { [string]$address } }
}

function LmLocalAddresses {
    # Every IPv4 address of the host but loopback.
    foreach ($address in @(Get-NetIPAddress -AddressFamily IPv4 -ErrorAction SilentlyContinue)) {
        if ([string]$address.IPAddress -ne '127.0.0.1') { [string]$address.IPAddress }
    }
}

function LmInSubnet([string]$address, [string]$subnet) {
    $parts = $subnet.Split('/')
    $length = [int]$parts[1]
    $ip = [System.Net.IPAddress]::Parse($address).GetAddressBytes()
    $network = [System.Net.IPAddress]::Parse($parts[0]).GetAddressBytes()
    for ($i = 0; $i -lt 4; $i++) {
        $bits = [Math]::Max(0, [Math]::Min(8, $length - 8 * $i))
        $mask = (0xFF -shl (8 - $bits)) -band 0xFF
        if (($ip[$i] -band $mask) -ne ($network[$i] -band $mask)) { return $false }
    }
    return $true
}

function LmExpected($networks, $enabled, $anyNetwork) {
    # The local IPv4 addresses vmms must listen on: those inside a network (all with "use any").
    if (-not $enabled) { return }
    foreach ($address in @(LmLocalAddresses)) {
        $inside = [bool]$anyNetwork
        foreach ($network in @($networks)) { if (LmInSubnet $address ([string]$network.Subnet)) { $inside = $true } }
        if ($inside) { $address }
    }
}

function LmMissing($expected, [int]$seconds) {
    # The expected addresses the listener list lacks, waiting up to $seconds for them to appear.
    for ($second = 0; $second -le $seconds; $second++) {
        $listening = @(LmListeners)
        $missing = @(@($expected) | Where-Object { $listening -notcontains $_ })
        if ($missing.Count -eq 0 -or $second -eq $seconds) { return $missing }
        Start-Sleep -Seconds 1
    }
}

function LmRestartVmms($expected) {
    # Restart-Service vmms, then the addresses still missing (vmms needs a moment to listen again).
    Restart-Service -Name vmms -Force
    return @(LmMissing $expected 30)
}

function LmSetMigration($want) {
    # Set what differs. $want: Enabled, AuthenticationType, UseAnyNetwork, MaxVmMigrations,
    # MaxStorageMigrations, PerformanceOption (null: leave), Networks ({Subnet, Priority}), KeepUnlisted.
    $now = LmMigrationSettings
    if ([bool]$want.Enabled -ne $now.VirtualMachineMigrationEnabled) {
        if ($want.Enabled) { Enable-VMMigration } else { Disable-VMMigration -Confirm:$false }
    }
    if ([string]$want.AuthenticationType -ne $now.VirtualMachineMigrationAuthenticationType) {
        Set-VMHost -VirtualMachineMigrationAuthenticationType ([string]$want.AuthenticationType)
    }
    if ([bool]$want.UseAnyNetwork -ne $now.UseAnyNetworkForMigration) {
        Set-VMHost -UseAnyNetworkForMigration ([bool]$want.UseAnyNetwork)
    }
    if ([int]$want.MaxVmMigrations -ne $now.MaximumVirtualMachineMigrations) {
        Set-VMHost -MaximumVirtualMachineMigrations ([uint32]$want.MaxVmMigrations)
    }
    if ([int]$want.MaxStorageMigrations -ne $now.MaximumStorageMigrations) {
        Set-VMHost -MaximumStorageMigrations ([uint32]$want.MaxStorageMigrations)
    }
    if ($null -ne $want.PerformanceOption -and
        [string]$want.PerformanceOption -ne [string]$now.VirtualMachineMigrationPerformanceOption) {
        Set-VMHost -VirtualMachineMigrationPerformanceOption ([string]$want.PerformanceOption)
    }
    $listed = @(@($want.Networks) | ForEach-Object { [string]$_.Subnet })
    foreach ($network in @($now.MigrationNetworks)) {
        if ($listed -notcontains $network.Subnet -and -not $want.KeepUnlisted) {
            Remove-VMMigrationNetwork -Subnet $network.Subnet -Confirm:$false
        }
    }
    foreach ($network in @($want.Networks)) {
        $current = @($now.MigrationNetworks | Where-Object { $_.Subnet -eq [string]$network.Subnet })
        if ($current.Count -eq 0) {
            Add-VMMigrationNetwork -Subnet ([string]$network.Subnet) -Priority ([uint32]$network.Priority)
        } elseif ([int]$current[0].Priority -ne [int]$network.Priority) {
            Set-VMMigrationNetwork -Subnet ([string]$network.Subnet) -NewPriority ([uint32]$network.Priority)
        }
    }
}

function LmUndoMigration($settings) {
    # What LmSetMigration needs to put back $settings (LmMigrationSettings) exactly.
    return @{
        Enabled = $settings.VirtualMachineMigrationEnabled
        AuthenticationType = $settings.VirtualMachineMigrationAuthenticationType
        UseAnyNetwork = $settings.UseAnyNetworkForMigration
        MaxVmMigrations = $settings.MaximumVirtualMachineMigrations
        MaxStorageMigrations = $settings.MaximumStorageMigrations
        PerformanceOption = $settings.VirtualMachineMigrationPerformanceOption
        Networks = @($settings.MigrationNetworks)
        KeepUnlisted = $false
    }
}

function LmMigrationReport($before, [bool]$restarted) {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $report = @{
        OsCaption = [string]$os.Caption
        OsVersion = [string]$os.Version
        Settings = (LmMigrationSettings)
        MigrationServiceListenerIPAddressList = @(LmListeners)
        LocalAddresses = @(LmLocalAddresses)
        VmmsRestarted = $restarted
    }
    if ($null -ne $before) { $report['Before'] = $before }
    return $report
}
