"""Where a ModelServer's weights come from: an existing claim, or a download by an init container."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..frozen import FrozenDict
from ..secrets import looks_like_secret
from ..values import ENV_VAR_NAME, normalize_memory, parse_image
from .base import _int_in, _Invalid, _Part, _require, wrap_part_init
from .env import FromConfigMap


@dataclass(frozen=True, kw_only=True)
class Weights(_Part):
    """Where a ModelServer's weights come from, mounted read-only at `mount_path`.

    - Weights.from_pvc("models-claim"): an existing claim that holds them (fast restarts).
    - Weights.download(image=..., command=[...]): an init container writes them into an emptyDir
      of `size` before the server starts (no shared storage needed; slower cold start).
      download_seconds=300: the longest the download may take. The startup probe only starts
      once it is done, so it counts into the rollout's progress deadline too.

    Attributes:
        source: `pvc` (an existing claim) or `init` (a download by an init container); use the class methods.
        mount_path: where the server finds the weights (read-only).
        claim: with `pvc`: the claim that holds them.
        sub_path: the folder inside the volume that holds them.
        image: with a download: the init container's image.
        command: with a download: its command.
        args: with a download: its arguments.
        env: with a download: its environment (secrets with FromSecret).
        size: with a download: the emptyDir's size, counted as ephemeral storage.
        download_seconds: with a download: the longest it may take (see above).
    """

    source: str
    mount_path: str = "/models"
    claim: str | None = None
    sub_path: str | None = None
    image: str | None = None
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: Mapping[str, Any] = field(default_factory=FrozenDict)
    size: str = "20Gi"
    download_seconds: int = 300

    @classmethod
    def from_pvc(cls, claim: str, **kw: Any) -> "Weights":
        return cls(source="pvc", claim=claim, **kw)

    @classmethod
    def download(cls, image: str, command: list[str] | tuple[str, ...], **kw: Any) -> "Weights":
        return cls(source="init", image=image, command=tuple(command), **kw)

    def _validate(self) -> None:
        _require(self.source in ("pvc", "init"), "source", f"got {self.source!r}; expected pvc or init")
        _require(isinstance(self.mount_path, str) and self.mount_path.startswith("/"), "mount_path",
                 f"got {self.mount_path!r}; expected an absolute path")
        if self.source == "pvc":
            _require(isinstance(self.claim, str) and bool(self.claim), "claim", f"got {self.claim!r}; expected a claim name")
        else:
            try:
                parse_image(self.image)
            except ValueError as exc:
                raise _Invalid("image", str(exc)) from None
            _require(bool(self.command) and all(isinstance(c, str) for c in self.command), "command",
                     f"got {self.command!r}; expected the command that downloads the weights")
            object.__setattr__(self, "command", tuple(self.command))
            object.__setattr__(self, "args", tuple(self.args))
            _int_in(self.download_seconds, "download_seconds", 1, 86400)
            try:
                object.__setattr__(self, "size", normalize_memory(self.size))
            except ValueError as exc:
                raise _Invalid("size", str(exc)) from None
        _require(isinstance(self.env, Mapping) and all(
            isinstance(k, str) and ENV_VAR_NAME.match(k) and isinstance(v, (str, FromConfigMap)) for k, v in self.env.items()),
            "env", f"got {self.env!r}; expected a mapping of names to strings or FromSecret(...)")
        for key, value in self.env.items():
            _require(not (isinstance(value, str) and value and looks_like_secret(key)), f"env[{key!r}]",
                     "a credential must not be written in the spec; use FromSecret(name=..., key=...)")
        object.__setattr__(self, "env", FrozenDict(self.env))


wrap_part_init(Weights)
