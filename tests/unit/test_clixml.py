"""Reading PowerShell's CLIXML stderr back into the error's own message."""

from __future__ import annotations

from lm_provider.transports.clixml import error_text, first_message

RECORD = (
    '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
    '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN></Obj>'
    '<S S="Error">Get-NetAdapter : No MSFT_NetAdapter objects found with property \'Name\' equal to '
    "'Ethernet 9'._x000D__x000A_</S>"
    '<S S="Error">At line:1 char:1_x000D__x000A_</S>'
    '<S S="Error">+ Get-NetAdapter -Name \'Ethernet 9\'_x000D__x000A_</S>'
    '<S S="Error">    + FullyQualifiedErrorId : Windows.NetAdapter_x000D__x000A_</S></Objs>'
)


def test_the_first_message_drops_position_and_category_lines() -> None:
    assert first_message(RECORD) == ("Get-NetAdapter : No MSFT_NetAdapter objects found with property 'Name' "
                                     "equal to 'Ethernet 9'.")
    assert "FullyQualifiedErrorId : Windows.NetAdapter" in error_text(RECORD)


def test_progress_only_and_plain_stderr() -> None:
    progress = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"></Objs>'
    assert first_message(progress) == ""
    assert first_message("The command line is too long.\r\n") == "The command line is too long."
