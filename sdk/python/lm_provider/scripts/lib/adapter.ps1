# Adapters (host.facts, nic.read, nic.apply, nic.restore): one adapter as host.facts reports it,
# finding adapters, the management interface, the WinRM connection, and the setter.

function LmLiteral([string]$text) {
    # An adapter name as a literal for the NetAdapter cmdlets' -Name, which takes wildcards.
    return ($text -replace '([\[\]\*\?`])', '`$1')
}

function LmText($value) {
    # An enum (Enabled/Disabled, Manual, ...) as its name; null stays null.
    if ($null -eq $value) { return $null }
    return [string]$value
}

function LmTable($object) {
    # A JSON object from $LmParams as a hashtable (null: empty).
    $table = @{}
    if ($null -ne $object) {
        foreach ($property in $object.PSObject.Properties) { $table[$property.Name] = $property.Value }
    }
    return $table
}

function LmAdapterFacts($adapter) {
    $index = [int]$adapter.ifIndex
    $name = LmLiteral $adapter.Name
    $jumbo = $null
    $property = Get-NetAdapterAdvancedProperty -Name $name -RegistryKeyword '*JumboPacket' -ErrorAction SilentlyContinue
    if ($property) {
        $jumbo = @{
            RegistryValue = @($property.RegistryValue | ForEach-Object { [string]$_ })
            ValidRegistryValues = @($property.ValidRegistryValues | ForEach-Object { [string]$_ })
        }
    }
    $ipInterface = Get-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue
    $dnsServers = Get-DnsClientServerAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue
    $dnsClient = Get-DnsClient -InterfaceIndex $index -ErrorAction SilentlyContinue
    $config = Get-CimInstance -ClassName Win32_NetworkAdapterConfiguration -Filter ('InterfaceIndex = {0}' -f $index)
    $servers = @()
    if ($dnsServers) { $servers = @($dnsServers.ServerAddresses | ForEach-Object { [string]$_ }) }
    $netbios = $null
    if ($config) { $netbios = $config.TcpipNetbiosOptions }
    return @{
        Name = [string]$adapter.Name
        InterfaceDescription = [string]$adapter.InterfaceDescription
        MacAddress = [string]$adapter.MacAddress
        ifIndex = $index
        LinkSpeed = [string]$adapter.LinkSpeed
        Status = [string]$adapter.Status
        JumboPacket = $jumbo
        Bindings = @(Get-NetAdapterBinding -Name $name -ErrorAction SilentlyContinue | ForEach-Object {
            @{ ComponentID = [string]$_.ComponentID; Enabled = [bool]$_.Enabled } })
        Dhcp = LmText $ipInterface.Dhcp
        IPv4Addresses = @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
            ForEach-Object { @{ IPAddress = [string]$_.IPAddress; PrefixLength = [int]$_.PrefixLength
                                PrefixOrigin = [string]$_.PrefixOrigin } })
        Routes = @(Get-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -PolicyStore ActiveStore `
            -ErrorAction SilentlyContinue | ForEach-Object { @{ DestinationPrefix = [string]$_.DestinationPrefix
                NextHop = [string]$_.NextHop; RouteMetric = [int]$_.RouteMetric } })
        DnsServers = $servers
        RegisterThisConnectionsAddress = [bool]$dnsClient.RegisterThisConnectionsAddress
        InterfaceMetric = [int]$ipInterface.InterfaceMetric
        AutomaticMetric = LmText $ipInterface.AutomaticMetric
        Forwarding = LmText $ipInterface.Forwarding
        TcpipNetbiosOptions = $netbios
    }
}

function LmAdapterByMac([string]$mac) {
    # The physical adapter with this MAC address, or null.
    $wanted = $mac.Replace(':', '-').ToUpperInvariant()
    return (@(Get-NetAdapter -Physical | Where-Object { ([string]$_.MacAddress).ToUpperInvariant() -eq $wanted }) |
        Select-Object -First 1)
}

function LmDescribe($adapters) {
    return ((@($adapters) | ForEach-Object { '{0} ({1}, {2})' -f $_.Name, $_.InterfaceDescription, $_.MacAddress }) -join '; ')
}

function LmSelectAdapter($name, $mac, $description) {
    # Exactly one physical adapter by name, MAC address or interface description (exact, any case).
    if (@(@($name, $mac, $description) | Where-Object { $null -ne $_ }).Count -ne 1) {
        throw 'adapter_name: give exactly one of adapter_name, mac_address, interface_description'
    }
    $adapters = @(Get-NetAdapter -Physical)
    if ($null -ne $mac) {
        $key = 'mac_address'
        $value = [string]$mac
        $wanted = $value.Replace(':', '-').ToUpperInvariant()
        $hits = @($adapters | Where-Object { ([string]$_.MacAddress).ToUpperInvariant() -eq $wanted })
    } elseif ($null -ne $name) {
        $key = 'adapter_name'
        $value = [string]$name
        $hits = @($adapters | Where-Object { $_.Name -eq $value })
    } else {
        $key = 'interface_description'
        $value = [string]$description
        $hits = @($adapters | Where-Object { $_.InterfaceDescription -eq $value })
    }
    if ($hits.Count -eq 0) { throw ("{0}: no adapter matches '{1}'; adapters: {2}" -f $key, $value, (LmDescribe $adapters)) }
    if ($hits.Count -gt 1) {
        throw ("{0}: {1} adapters match '{2}'; matches: {3}" -f $key, $hits.Count, $value, (LmDescribe $hits))
    }
    return $hits[0]
}

function LmManagementInterface([int]$excluding) {
    # The IPv4 interface whose default route has the lowest metric (route + interface), other than
    # $excluding; null when there is none.
    $best = $null
    $bestMetric = [int]::MaxValue
    $routes = @(Get-NetRoute -DestinationPrefix '0.0.0.0/0' -PolicyStore ActiveStore -ErrorAction SilentlyContinue)
    foreach ($route in $routes) {
        if ([int]$route.ifIndex -eq $excluding) { continue }
        $ipInterface = Get-NetIPInterface -InterfaceIndex $route.ifIndex -AddressFamily IPv4 -ErrorAction SilentlyContinue
        if (-not $ipInterface) { continue }
        $metric = [int]$route.RouteMetric + [int]$ipInterface.InterfaceMetric
        if ($metric -lt $bestMetric -or ($metric -eq $bestMetric -and [int]$route.ifIndex -lt [int]$best.ifIndex)) {
            $best = $ipInterface
            $bestMetric = $metric
        }
    }
    return $best
}

function LmWinRmInterfaces {
    # The interface indexes holding an established WinRM connection (TCP 5985/5986), by local address.
    $local = @(Get-NetTCPConnection -State Established -LocalPort 5985, 5986 -ErrorAction SilentlyContinue |
        ForEach-Object { ([string]$_.LocalAddress) -replace '^::ffff:', '' })
    foreach ($address in @(Get-NetIPAddress -ErrorAction SilentlyContinue)) {
        if ($local -contains [string]$address.IPAddress) { [int]$address.InterfaceIndex }
    }
}

function LmWaitUp([int]$index) {
    # After a driver property change the adapter restarts: wait (30 s at most) until it is up again.
    for ($second = 0; $second -lt 30; $second++) {
        $adapter = Get-NetAdapter -InterfaceIndex $index -ErrorAction SilentlyContinue
        if ($adapter -and [string]$adapter.Status -eq 'Up') { return }
        Start-Sleep -Seconds 1
    }
}

function LmSetAdapter($adapter, $want) {
    # Set each field of $want that is not null and differs from the adapter now. Fields: Name, Dhcp,
    # Ipv4Addresses, RemoveDefaultRoutes, DnsServers, RegisterDns, Bindings (hashtable),
    # AutomaticMetric, InterfaceMetric, Forwarding, JumboPacket, Netbios (Default/Enabled/Disabled).
    $index = [int]$adapter.ifIndex
    $now = LmAdapterFacts $adapter
    $name = [string]$adapter.Name
    if ($null -ne $want.Name -and [string]$want.Name -cne $name) {
        Rename-NetAdapter -Name (LmLiteral $name) -NewName ([string]$want.Name)
        $name = [string]$want.Name
    }
    if ($null -ne $want.Ipv4Addresses) {
        $wanted = @($want.Ipv4Addresses)
        if ($want.Dhcp) {
            foreach ($address in @($now.IPv4Addresses | Where-Object { $_.PrefixOrigin -eq 'Manual' })) {
                Remove-NetIPAddress -InterfaceIndex $index -IPAddress $address.IPAddress -Confirm:$false
            }
            if ($now.Dhcp -ne 'Enabled') { Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Enabled }
        } else {
            if ($now.Dhcp -ne 'Disabled') { Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Disabled }
            foreach ($address in @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue)) {
                $same = @($wanted | Where-Object { [string]$_.IPAddress -eq [string]$address.IPAddress -and
                    [int]$_.PrefixLength -eq [int]$address.PrefixLength })
                if ($same.Count -eq 0) {
                    Remove-NetIPAddress -InterfaceIndex $index -IPAddress ([string]$address.IPAddress) -Confirm:$false
                }
            }
            foreach ($address in $wanted) {
                $present = @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -IPAddress ([string]$address.IPAddress) `
                    -ErrorAction SilentlyContinue)
                if ($present.Count -eq 0) {
                    New-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -IPAddress ([string]$address.IPAddress) `
                        -PrefixLength ([int]$address.PrefixLength) | Out-Null
                }
            }
        }
    }
    if ($want.RemoveDefaultRoutes -and @($now.Routes).Count -gt 0) {
        Remove-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -Confirm:$false
    }
    if ($null -ne $want.DnsServers) {
        $servers = @($want.DnsServers | ForEach-Object { [string]$_ })
        if (($servers -join ',') -ne (@($now.DnsServers) -join ',')) {
            if ($servers.Count -eq 0) { Set-DnsClientServerAddress -InterfaceIndex $index -ResetServerAddresses }
            else { Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses $servers }
        }
    }
    if ($null -ne $want.RegisterDns -and [bool]$want.RegisterDns -ne [bool]$now.RegisterThisConnectionsAddress) {
        Set-DnsClient -InterfaceIndex $index -RegisterThisConnectionsAddress ([bool]$want.RegisterDns)
    }
    if ($null -ne $want.Bindings) {
        foreach ($component in @($want.Bindings.Keys)) {
            $current = @($now.Bindings | Where-Object { $_.ComponentID -eq $component })
            if ($current.Count -eq 0) { continue }
            if ([bool]$want.Bindings[$component] -and -not $current[0].Enabled) {
                Enable-NetAdapterBinding -Name (LmLiteral $name) -ComponentID $component
            } elseif (-not [bool]$want.Bindings[$component] -and $current[0].Enabled) {
                Disable-NetAdapterBinding -Name (LmLiteral $name) -ComponentID $component -Confirm:$false
            }
        }
    }
    if ($want.AutomaticMetric -eq $true -and $now.AutomaticMetric -ne 'Enabled') {
        Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -AutomaticMetric Enabled
    } elseif ($want.AutomaticMetric -eq $false -and $null -ne $want.InterfaceMetric -and
              ($now.AutomaticMetric -ne 'Disabled' -or [int]$now.InterfaceMetric -ne [int]$want.InterfaceMetric)) {
        Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -AutomaticMetric Disabled `
            -InterfaceMetric ([int]$want.InterfaceMetric)
    }
    if ($null -ne $want.Forwarding) {
        $forwarding = 'Disabled'
        if ($want.Forwarding) { $forwarding = 'Enabled' }
        if ($now.Forwarding -ne $forwarding) {
            Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Forwarding $forwarding
        }
    }
    if ($null -ne $want.Netbios) {
        $code = @{ Default = 0; Enabled = 1; Disabled = 2 }[[string]$want.Netbios]
        if ([int]$now.TcpipNetbiosOptions -ne $code) {
            $config = Get-CimInstance -ClassName Win32_NetworkAdapterConfiguration -Filter ('InterfaceIndex = {0}' -f $index)
            $result = Invoke-CimMethod -InputObject $config -MethodName SetTcpipNetbios `
                -Arguments @{ TcpipNetbiosOptions = [uint32]$code }
            if ($result.ReturnValue -ne 0) { throw ('netbios: SetTcpipNetbios answered {0}' -f $result.ReturnValue) }
        }
    }
    if ($null -ne $want.JumboPacket -and $null -ne $now.JumboPacket -and
        [string]@($now.JumboPacket.RegistryValue)[0] -ne [string]$want.JumboPacket) {
        Set-NetAdapterAdvancedProperty -Name (LmLiteral $name) -RegistryKeyword '*JumboPacket' `
            -RegistryValue ([string]$want.JumboPacket)
        LmWaitUp $index
    }
}

function LmUndoAdapter($facts) {
    # What LmSetAdapter needs to put the adapter back as $facts (LmAdapterFacts) showed it; default
    # routes that an apply removed are not put back.
    $bindings = @{}
    foreach ($binding in @($facts.Bindings)) { $bindings[$binding.ComponentID] = $binding.Enabled }
    $jumbo = $null
    if ($facts.JumboPacket) { $jumbo = [int]@($facts.JumboPacket.RegistryValue)[0] }
    return @{
        Name = $facts.Name; Dhcp = ($facts.Dhcp -eq 'Enabled'); Ipv4Addresses = @($facts.IPv4Addresses)
        DnsServers = @($facts.DnsServers); RegisterDns = $facts.RegisterThisConnectionsAddress; Bindings = $bindings
        AutomaticMetric = ($facts.AutomaticMetric -eq 'Enabled'); InterfaceMetric = $facts.InterfaceMetric
        Forwarding = ($facts.Forwarding -eq 'Enabled'); JumboPacket = $jumbo
        Netbios = @{ 0 = 'Default'; 1 = 'Enabled'; 2 = 'Disabled' }[[int]$facts.TcpipNetbiosOptions]
    }
}
