# Remove migration probe VMs: those whose Notes are the probe marker (only the one called Name
# when given), turned off, removed, their disks deleted. Any other VM is never touched. Nothing
# to remove is not an error (a re-run after a failure finishes the clean-up).
if ([string]::IsNullOrEmpty([string]$LmParams.Marker)) {
    throw 'The probe marker is empty: it would match every VM without Notes. Nothing was done.'
}
$removed = @()
foreach ($vm in @(Get-VM | Where-Object { $_.Notes -ceq [string]$LmParams.Marker })) {
    if ($LmParams.Name -and $vm.Name -cne [string]$LmParams.Name) { continue }
    $disks = @(Get-VMHardDiskDrive -VM $vm | ForEach-Object { $_.Path })
    Stop-VM -VM $vm -TurnOff -Force -ErrorAction SilentlyContinue
    Remove-VM -VM $vm -Force -Confirm:$false -ErrorAction Stop
    foreach ($disk in $disks) { Remove-Item -LiteralPath $disk -Force -Confirm:$false -ErrorAction SilentlyContinue }
    $removed += $vm.Name
}
ConvertTo-Json -InputObject (New-Object PSObject -Property @{ Removed = @($removed) }) -Compress -Depth 3
exit 0
