# The migration test's throwaway VM: generation 1 (the default on every version), a new dynamic
# VHDX under StoragePath, Notes = the probe marker (how every later op tells it from user VMs),
# started so that the move is a live migration.
$name = [string]$LmParams.Name
if (@(Get-VM -Name $name -ErrorAction SilentlyContinue).Count -gt 0) {
    throw ("A virtual machine named '{0}' already exists on {1}; the probe needs a fresh name." -f $name, $env:COMPUTERNAME)
}
$storage = [string]$LmParams.StoragePath
$vhd = Join-Path $storage ($name + '.vhdx')
$vm = New-VM -Name $name -Path $storage -MemoryStartupBytes ([int64]$LmParams.MemoryStartupBytes) -NewVHDPath $vhd -NewVHDSizeBytes ([uint64]$LmParams.VhdSizeBytes) -ErrorAction Stop
Set-VM -VM $vm -Notes ([string]$LmParams.Marker) -ErrorAction Stop
Start-VM -VM $vm -ErrorAction Stop
$vm = Get-VM -Name $name -ErrorAction Stop
ConvertTo-Json -InputObject (New-Object PSObject -Property @{ Name = $vm.Name; Id = [string]$vm.Id; State = [string]$vm.State }) -Compress
exit 0
