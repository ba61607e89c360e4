"""WS-Management SOAP envelopes: parse a request, build responses and faults.

Only the WinRS (cmd shell) subset pywinrm 0.5 and pypsrp's WinRS use: Create, Command, Send,
Receive, Signal, Delete ([MS-WSMV] 3.1.4). Faults carry the WSManFault codes Windows sends.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
}
SHELL = NS["rsp"]
TRANSFER = NS["x"]
ACTION_CREATE = f"{TRANSFER}/Create"
ACTION_DELETE = f"{TRANSFER}/Delete"
ACTION_COMMAND = f"{SHELL}/Command"
ACTION_SEND = f"{SHELL}/Send"
ACTION_RECEIVE = f"{SHELL}/Receive"
ACTION_SIGNAL = f"{SHELL}/Signal"
CMD_RESOURCE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
STATE_RUNNING = f"{SHELL}/CommandState/Running"
STATE_DONE = f"{SHELL}/CommandState/Done"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
_DURATION = re.compile(r"^PT(?P<s>\d+(\.\d+)?)S$")


@dataclass
class Request:
    """The parts of a WS-Man request the shell service needs."""

    action: str
    resource_uri: str
    message_id: str
    shell_id: str | None
    operation_timeout: float
    max_envelope_size: int
    options: dict[str, str]
    body: ET.Element | None = field(repr=False)


class Fault(Exception):
    """A SOAP fault as Windows sends it (HTTP 500), with its WSManFault code."""

    def __init__(self, subcode: str, code: int, message: str, sender: bool = True) -> None:
        super().__init__(message)
        self.subcode = subcode
        self.code = code
        self.message = message
        self.sender = sender


def timed_out() -> Fault:
    """The fault a Receive gets when nothing happened within OperationTimeout (pywinrm retries it)."""
    return Fault("w:TimedOut", 2150858793,
                 "The WS-Management service cannot complete the operation within the time specified in "
                 "OperationTimeout.",
                 sender=False)


def internal_error() -> Fault:
    """The fault for a failure inside the lab itself (a lab bug; logged with its traceback)."""
    return Fault("w:InternalError", 2147500037,
                 "The WS-Management service cannot process the request because the lab failed internally "
                 "(a bug in the lab, not on the host); the details are in the lab's log (lmlab.log).",
                 sender=False)


def shell_not_found(shell_id: str) -> Fault:
    """The fault for a ShellId the server does not know (deleted, expired or never created)."""
    return Fault("w:InvalidSelectors", 2150858843,
                 f"The request for the Windows Remote Shell with ShellId {shell_id} failed because the shell was not "
                 "found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer "
                 "exists on the server. Provide the correct ShellId or create a new shell and try the operation again.")


def parse(xml: bytes) -> Request:
    """Parse a SOAP envelope; malformed XML or a missing Action becomes a SOAP fault."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise Fault("w:SchemaValidationError", 2150858817,
                    "The SOAP XML in the message does not match the corresponding XML schema definition. "
                    f"{exc}") from None
    header = root.find("s:Header", NS)
    if header is None:
        raise Fault("w:SchemaValidationError", 2150858817, "The SOAP message has no Header.")

    def text(path: str) -> str:
        node = header.find(path, NS)
        return (node.text or "").strip() if node is not None else ""

    action = text("a:Action")
    if not action:
        raise Fault("a:ActionNotSupported", 2150858770, "The action is not supported by the service.")
    match = _DURATION.match(text("w:OperationTimeout") or "PT60S")
    options = {o.get("Name", ""): (o.text or "") for o in header.findall("w:OptionSet/w:Option", NS)}
    selector = header.find("w:SelectorSet/w:Selector[@Name='ShellId']", NS)
    body = root.find("s:Body", NS)
    return Request(
        action=action,
        resource_uri=text("w:ResourceURI"),
        message_id=text("a:MessageID") or f"uuid:{uuid.uuid4()}",
        shell_id=(selector.text or "").strip() if selector is not None else None,
        operation_timeout=float(match.group("s")) if match else 60.0,
        max_envelope_size=int(text("w:MaxEnvelopeSize") or 153600),
        options=options,
        body=body[0] if body is not None and len(body) else None,
    )


def envelope(action: str, relates_to: str, body: str) -> bytes:
    """A response envelope for ``action`` answering the request ``relates_to``."""
    return (
        f'<s:Envelope xml:lang="en-US" xmlns:s="{NS["s"]}" xmlns:a="{NS["a"]}" xmlns:x="{NS["x"]}" '
        f'xmlns:w="{NS["w"]}" xmlns:rsp="{NS["rsp"]}" xmlns:p="{NS["p"]}"><s:Header>'
        f"<a:Action>{escape(action)}</a:Action><a:MessageID>uuid:{uuid.uuid4()}</a:MessageID>"
        f"<a:To>{ANONYMOUS}</a:To><a:RelatesTo>{escape(relates_to)}</a:RelatesTo>"
        f"</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def fault_envelope(fault: Fault, relates_to: str, machine: str) -> bytes:
    """A fault envelope (sent with HTTP 500)."""
    role = "s:Sender" if fault.sender else "s:Receiver"
    body = (
        f"<s:Fault><s:Code><s:Value>{role}</s:Value><s:Subcode><s:Value>{fault.subcode}</s:Value></s:Subcode>"
        f'</s:Code><s:Reason><s:Text xml:lang="en-US">{escape(fault.message)} </s:Text></s:Reason><s:Detail>'
        f'<f:WSManFault xmlns:f="{NS["f"]}" Code="{fault.code}" Machine={quoteattr(machine)}>'
        f"<f:Message>{escape(fault.message)} </f:Message></f:WSManFault></s:Detail></s:Fault>"
    )
    return envelope("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relates_to, body)


def created_body(endpoint: str, shell_id: str) -> str:
    """Body of a CreateResponse: the shell's EPR plus the rsp:Shell description."""
    return (
        f"<x:ResourceCreated><a:Address>{escape(endpoint)}</a:Address><a:ReferenceParameters>"
        f"<w:ResourceURI>{CMD_RESOURCE}</w:ResourceURI><w:SelectorSet>"
        f'<w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet></a:ReferenceParameters>'
        f"</x:ResourceCreated><rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId>"
        f"<rsp:ResourceUri>{CMD_RESOURCE}</rsp:ResourceUri><rsp:InputStreams>stdin</rsp:InputStreams>"
        f"<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"
    )


def receive_body(command_id: str, chunks: list[tuple[str, str]], done: bool, exit_code: int) -> str:
    """Body of a ReceiveResponse: base64 stream chunks, then the command state."""
    parts = [f'<rsp:Stream Name="{name}" CommandId="{command_id}">{data}</rsp:Stream>' for name, data in chunks]
    if done:
        parts += [f'<rsp:Stream Name="{n}" CommandId="{command_id}" End="true"></rsp:Stream>'
                  for n in ("stdout", "stderr")]
        parts.append(f'<rsp:CommandState CommandId="{command_id}" State="{STATE_DONE}">'
                     f"<rsp:ExitCode>{exit_code}</rsp:ExitCode></rsp:CommandState>")
    else:
        parts.append(f'<rsp:CommandState CommandId="{command_id}" State="{STATE_RUNNING}"></rsp:CommandState>')
    return "<rsp:ReceiveResponse>" + "".join(parts) + "</rsp:ReceiveResponse>"
