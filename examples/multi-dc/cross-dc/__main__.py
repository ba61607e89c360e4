"""`pulumi up -s all`: the datacenter stacks' hosts (read with StackReference) delegate to each other.

The stack references' outputs are read from the datacenter stacks' state, so they are known in
preview too: the delegations are declared as soon as they arrive.
"""

import pulumi
from crossdc import cross_delegations, readiness

stacks = pulumi.Config().require_object("datacenters")
references = {stack: pulumi.StackReference(stack) for stack in stacks}
members = pulumi.Output.all(**{stack: ref.require_output("members") for stack, ref in references.items()})
delegations = members.apply(lambda found: len(cross_delegations(found)))
ready = pulumi.Output.all(**{stack: ref.require_output("ready") for stack, ref in references.items()})
pulumi.export("datacenters", ready.apply(readiness))
pulumi.export("ready", ready.apply(lambda found: all(found.values())))
pulumi.export("delegations", delegations)
