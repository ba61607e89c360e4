# migration.restore: put the given settings back exactly; when the TCP 6600 listener list then does
# not match them, restart vmms once (when allowed).
# lm-provider-include: migration
$networks = @($LmParams.Networks)
$want = @{
    Enabled = [bool]$LmParams.Enabled; AuthenticationType = [string]$LmParams.AuthenticationType
    UseAnyNetwork = [bool]$LmParams.UseAnyNetwork; MaxVmMigrations = [int]$LmParams.MaxVmMigrations
    MaxStorageMigrations = [int]$LmParams.MaxStorageMigrations; PerformanceOption = $LmParams.PerformanceOption
    Networks = $networks; KeepUnlisted = $false
}
LmSetMigration $want
$expected = @(LmExpected $networks $LmParams.Enabled $LmParams.UseAnyNetwork | Sort-Object)
$listening = @(LmListeners | Where-Object { $_ -match '^\d+\.\d+\.\d+\.\d+$' } | Sort-Object)
$restarted = $false
if (($expected -join ',') -ne ($listening -join ',') -and $LmParams.RestartVmms) {
    Restart-Service -Name vmms -Force
    $restarted = $true
}
LmMigrationReport $null $restarted | ConvertTo-Json -Compress -Depth 6
exit 0
