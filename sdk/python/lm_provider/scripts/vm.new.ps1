# The migration test's throwaway VM: generation 1 (the default on every version), a new dynamic
# VHDX under StoragePath, Notes = the probe marker (how every later op tells it from user VMs),
# started so that the move is a live migration. From 2016 on it gets the lowest configuration
# version the host supports (5.0, the 2012 R2 level), so that any 2012 R2 or newer host accepts it:
# Hyper-V never migrates a VM to a host that does not support its version.
$name = [string]$LmParams.Name
if (@(Get-VM | Where-Object { $_.Name -ceq $name }).Count -gt 0) {
    throw ("A virtual machine named '{0}' already exists on {1}; the probe needs a fresh name." -f $name, $env:COMPUTERNAME)
}
$storage = [string]$LmParams.StoragePath
$vhd = Join-Path $storage ($name + '.vhdx')
if ((Get-Command -Name New-VM).Parameters.ContainsKey('Version')) {
    $lowest = @(Get-VMHostSupportedVersion | Sort-Object -Property { [version]$_.Version }) | Select-Object -First 1
    $vm = New-VM -Name $name -Path $storage -MemoryStartupBytes ([int64]$LmParams.MemoryStartupBytes) -NewVHDPath $vhd -NewVHDSizeBytes ([uint64]$LmParams.VhdSizeBytes) -Version $lowest.Version -ErrorAction Stop
} else {
    $vm = New-VM -Name $name -Path $storage -MemoryStartupBytes ([int64]$LmParams.MemoryStartupBytes) -NewVHDPath $vhd -NewVHDSizeBytes ([uint64]$LmParams.VhdSizeBytes) -ErrorAction Stop
}
try {
    Set-VM -VM $vm -Notes ([string]$LmParams.Marker) -ErrorAction Stop
    Start-VM -VM $vm -ErrorAction Stop
} catch {
    # Not marked (or not started): remove it now, a later clean-up could not tell it from a user VM.
    Stop-VM -VM $vm -TurnOff -Force -ErrorAction SilentlyContinue
    Remove-VM -VM $vm -Force -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $vhd -Force -Confirm:$false -ErrorAction SilentlyContinue
    throw
}
$vm = @(Get-VM | Where-Object { $_.Name -ceq $name })[0]
ConvertTo-Json -InputObject (New-Object PSObject -Property @{ Name = $vm.Name; Id = [string]$vm.Id; State = [string]$vm.State; Version = [string]$vm.Version }) -Compress
exit 0
