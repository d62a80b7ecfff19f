"""The unit every stage after synthesis works on: one Kubernetes object and where it came from."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a resource is: its file, document and line; for generated ones, the spec behind it."""

    file: str = ""
    doc_index: int = 0
    line: int = 0
    app: str | None = None
    env: str | None = None
    spec_file: str | None = None
    spec_line: int | None = None

    def at(self, file: str, line: int, doc_index: int = 0) -> "Origin":
        return replace(self, file=file, line=line, doc_index=doc_index)

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.spec_file:
            where += f" (from {self.spec_file}:{self.spec_line}, app {self.app}, env {self.env})"
        return where


@dataclass(frozen=True)
class Resource:
    """One Kubernetes object (a plain dict, never mutated after construction) plus its Origin."""

    obj: dict[str, Any]
    origin: Origin = field(default_factory=Origin)

    @property
    def api_version(self) -> str:
        value = self.obj.get("apiVersion")
        return value if isinstance(value, str) else ""

    @property
    def kind(self) -> str:
        value = self.obj.get("kind")
        return value if isinstance(value, str) else ""

    @property
    def metadata(self) -> dict[str, Any]:
        value = self.obj.get("metadata")
        return value if isinstance(value, dict) else {}

    @property
    def name(self) -> str:
        value = self.metadata.get("name")
        return value if isinstance(value, str) else ""

    @property
    def namespace(self) -> str:
        value = self.metadata.get("namespace")
        return value if isinstance(value, str) else ""

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity used to match resources across two manifest sets."""
        return (self.api_version, self.kind, self.namespace, self.name)

    def ref(self) -> str:
        """Human-readable identity: Kind/namespace/name."""
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind or '?'}/{ns}{self.name or '?'}"

    def file_name(self) -> str:
        """`<kind>-<name>.yaml`, lower case: the file this resource is written to in generated/."""
        return f"{self.kind.lower()}-{self.name.lower()}.yaml"
