"""A model too large for one node: groups of pods that serve it together (one leader, workers)."""
from __future__ import annotations

from dataclasses import dataclass

from .base import _int_in, _Part, _require, wrap_part_init

RESTART_POLICIES = ("RecreateGroupOnPodRestart", "None")
STARTUP_POLICIES = ("LeaderCreated", "LeaderReady")


@dataclass(frozen=True, kw_only=True)
class MultiNode(_Part):
    """Each replica of a ModelServer is a group of `nodes` pods: a leader (the app's container,
    ports and probes; the Service sends requests to leaders only) and `nodes - 1` workers that run
    `worker_command`/`worker_args` (default: the app's). Output "lws" makes a LeaderWorkerSet
    (leaderworkerset.x-k8s.io/v1); every pod learns its leader's address (LWS_LEADER_ADDRESS),
    the group size (LWS_GROUP_SIZE) and its index (LWS_WORKER_INDEX) from the controller, which is
    what a Ray cluster under vLLM (tensor parallel per node, pipeline parallel across nodes) needs.

    Defaults, each with its reason:
    - restart="RecreateGroupOnPodRestart": a model sharded over the group cannot go on with one
      shard restarted; the whole group is recreated together.
    - startup="LeaderReady": workers are created once the leader is ready, so they never wait on a
      leader that is still loading.
    """

    nodes: int  # pods per group: one leader and nodes - 1 workers, one node each
    worker_command: tuple[str, ...] = ()  # what a worker runs (default: the app's command)
    worker_args: tuple[str, ...] = ()  # a worker's arguments (default: the app's, unless worker_command is set)
    restart: str = "RecreateGroupOnPodRestart"
    startup: str = "LeaderReady"

    def _validate(self) -> None:
        _int_in(self.nodes, "nodes", 2, 64)
        for name in ("worker_command", "worker_args"):
            value = getattr(self, name)
            _require(isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value), name,
                     f"got {value!r}; expected a list of strings")
            object.__setattr__(self, name, tuple(value))
        _require(self.restart in RESTART_POLICIES, "restart",
                 f"got {self.restart!r}; expected one of {', '.join(RESTART_POLICIES)}")
        _require(self.startup in STARTUP_POLICIES, "startup",
                 f"got {self.startup!r}; expected one of {', '.join(STARTUP_POLICIES)}")


wrap_part_init(MultiNode)
