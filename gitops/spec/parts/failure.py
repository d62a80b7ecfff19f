"""Rules of a Job's pod failure policy (batch/v1 `podFailurePolicy`): what a failed pod means."""
from __future__ import annotations

from dataclasses import dataclass

from .base import _is_int, _Part, _require, wrap_part_init
from ..values import check_dns_label

ACTIONS = ("FailJob", "FailIndex", "Ignore", "Count")
CONDITIONS = ("DisruptionTarget", "ConfigIssue")


@dataclass(frozen=True, kw_only=True)
class PodFailureRule(_Part):
    """One rule, matched in order before the kind's own (disruptions are ignored). Build one with:

    - PodFailureRule.exit_codes("FailJob", [42]): a known fatal exit code fails the Job at once
      instead of using up its retries (`container`: only that container; `not_in=True`: any code
      but these).
    - PodFailureRule.condition("Ignore", "DisruptionTarget"): a pod condition decides.
    `action`: FailJob, FailIndex (Indexed Jobs with backoff_limit_per_index), Ignore or Count.

    Attributes:
        codes: with exit_codes: the container exit codes that match.
        not_in: with exit_codes: match any exit code except `codes`.
        container: with exit_codes: only this container's exit code counts.
        condition_type: with condition: the pod condition that matches (`DisruptionTarget`).
    """

    action: str
    codes: tuple[int, ...] = ()
    not_in: bool = False
    container: str | None = None
    condition_type: str | None = None

    @classmethod
    def exit_codes(cls, action: str, codes: list[int] | tuple[int, ...], container: str | None = None,
                   not_in: bool = False) -> "PodFailureRule":
        return cls(action=action, codes=tuple(codes), container=container, not_in=not_in)

    @classmethod
    def condition(cls, action: str, condition_type: str) -> "PodFailureRule":
        return cls(action=action, condition_type=condition_type)

    def _validate(self) -> None:
        _require(self.action in ACTIONS, "action", f"got {self.action!r}; expected one of {', '.join(ACTIONS)}")
        object.__setattr__(self, "codes", tuple(self.codes) if isinstance(self.codes, (list, tuple)) else self.codes)
        _require((bool(self.codes)) != (self.condition_type is not None), "codes",
                 "give exit codes or a pod condition, not both and not neither")
        if self.codes:
            _require(all(_is_int(c) and 0 <= c <= 255 for c in self.codes) and len(set(self.codes)) == len(self.codes)
                     and len(self.codes) <= 255, "codes", f"got {self.codes!r}; expected distinct exit codes 0 to 255")
            _require(self.not_in or 0 not in self.codes, "codes", "0 is success, not a failure; leave it out")
            object.__setattr__(self, "codes", tuple(sorted(self.codes)))
        else:
            _require(self.condition_type in CONDITIONS, "condition_type",
                     f"got {self.condition_type!r}; expected one of {', '.join(CONDITIONS)}")
        if self.container is not None:
            problem = check_dns_label(self.container)
            _require(problem is None, "container", str(problem))

    def as_dict(self) -> dict:
        if self.codes:
            codes: dict = {"operator": "NotIn" if self.not_in else "In", "values": list(self.codes)}
            if self.container:
                codes["containerName"] = self.container
            return {"action": self.action, "onExitCodes": codes}
        return {"action": self.action, "onPodConditions": [{"type": self.condition_type, "status": "True"}]}


wrap_part_init(PodFailureRule)
