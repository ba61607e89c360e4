# migration.apply: refuse what cannot work (before any change), set what differs, then check the
# TCP 6600 listeners: an expected address missing restarts vmms once when allowed; still missing
# fails. A failure after a change puts back the settings that were read.
# lm-provider-include: migration
$vmhost = Get-VMHost
if ($null -ne $LmParams.PerformanceOption -and -not $vmhost.PSObject.Properties['VirtualMachineMigrationPerformanceOption']) {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $message = ('performance_option: {0} runs {1} ({2}), which has no migration performance option ' -f
        $env:COMPUTERNAME, $os.Caption, $os.Version)
    throw ($message + '(Set-VMHost -VirtualMachineMigrationPerformanceOption); remove performance_option')
}
$networks = @($LmParams.Networks)
$expected = @(LmExpected $networks $LmParams.Enabled $false)
if ($LmParams.Enabled -and $expected.Count -eq 0) {
    $message = ('networks: no IPv4 address of {0} lies inside {1} (its addresses: {2}); ' -f $env:COMPUTERNAME,
        (@($networks | ForEach-Object { $_.Subnet }) -join ', '), (@(LmLocalAddresses) -join ', '))
    throw ($message + 'migrations would use another network. Configure the migration adapter first')
}
$before = LmMigrationSettings
$want = @{
    Enabled = [bool]$LmParams.Enabled; AuthenticationType = [string]$LmParams.AuthenticationType; UseAnyNetwork = $false
    MaxVmMigrations = [int]$LmParams.MaxVmMigrations; MaxStorageMigrations = [int]$LmParams.MaxStorageMigrations
    PerformanceOption = $LmParams.PerformanceOption; Networks = $networks; KeepUnlisted = (-not $LmParams.RemoveUnlisted)
}
$restarted = $false
try {
    LmSetMigration $want
    $missing = @(LmMissing $expected 5)
    if ($missing.Count -gt 0 -and $LmParams.RestartVmms) {
        $missing = @(LmRestartVmms $expected)
        $restarted = $true
    }
    if ($missing.Count -gt 0) {
        $reason = 'and restart_vmms is false'
        if ($restarted) { $reason = 'after restarting vmms' }
        throw ('networks: the migration service does not listen on {0} (TCP 6600) {1}; nothing was changed' -f
            ($missing -join ', '), $reason)
    }
} catch {
    $failure = $_
    try {
        LmSetMigration (LmUndoMigration $before)
    } catch {
        throw ('{0} (putting the settings back also failed: {1})' -f $failure, $_)
    }
    throw $failure
}
LmMigrationReport $before $restarted | ConvertTo-Json -Compress -Depth 6
exit 0
