# Move the probe VM (never any other VM) and its storage to DestinationHost, started here over
# WinRM as a remote Hyper-V Manager would: with Kerberos this host's computer account needs
# constrained delegation to the destination's migration service and cifs, in the form of the name
# given. While the move runs, vmms' established TCP connection to port 6600 shows which addresses
# carry the migration traffic.
if ([string]::IsNullOrEmpty([string]$LmParams.Marker)) {
    throw 'The probe marker is empty: it would match every VM without Notes. Nothing was done.'
}
$vm = @(Get-VM | Where-Object { $_.Name -ceq [string]$LmParams.Name -and $_.Notes -ceq [string]$LmParams.Marker })
if ($vm.Count -ne 1) {
    throw ("'{0}' is not a migration probe VM on {1}; only probes are moved." -f [string]$LmParams.Name, $env:COMPUTERNAME)
}
$job = Move-VM -VM $vm[0] -DestinationHost ([string]$LmParams.DestinationHost) -IncludeStorage -DestinationStoragePath ([string]$LmParams.StoragePath) -AsJob
$vmms = @(Get-Process -Name vmms -ErrorAction SilentlyContinue | ForEach-Object { $_.Id })
$connection = $null
try {
    while (-not $job.Finished.WaitOne(50)) {
        if ($connection -eq $null) {
            $connection = @(Get-NetTCPConnection -RemotePort 6600 -State Established -ErrorAction SilentlyContinue |
                Where-Object { $vmms -contains $_.OwningProcess }) | Select-Object -First 1
        }
    }
    Receive-Job -Job $job -ErrorAction Stop | Out-Null
} finally {
    Remove-Job -Job $job -Force -Confirm:$false
}
$source = $null
$destination = $null
if ($connection -ne $null) {
    $source = [string]$connection.LocalAddress
    $destination = [string]$connection.RemoteAddress
}
ConvertTo-Json -InputObject (New-Object PSObject -Property @{
    Name = [string]$LmParams.Name; DestinationHost = [string]$LmParams.DestinationHost
    SourceAddress = $source; DestinationAddress = $destination }) -Compress
exit 0
