"""Running synthesis: one small cdk8s App per target, cached, in parallel when it pays.

Measured here (DESIGN.md): a cdk8s App grows superlinearly with its charts, so each target gets
its own; the jsii bridge costs about a millisecond per object, so big runs are split over worker
processes started with PYTHONOPTIMIZE (which skips jsii's runtime type checks); and a target
whose inputs have not changed is read from the cache without starting Node at all.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .. import __version__
from ..cachefile import write_cache_file
from ..errors import GitopsError, InputError
from ..lifetime import die_with_parent
from ..spec.kinds.cron_job import CronJob
from ..spec.kinds.job import Job
from ..spec.kinds.model_server import ModelServer
from ..spec.kinds.service import Service
from ..spec.kinds.stateful_service import StatefulService
from ..spec.kinds.training_job import TrainingJob
from ..spec.kinds.worker import Worker
from ..write.layout import app_header, object_file
from ..yamlio import UndeliverableValue, dump, ordered
from .kinds import cron_job, job, model_server, service, stateful_service, training_job, worker
from .context import Target
from .hatches import apply_hatches
from .secrets import external_secrets

if TYPE_CHECKING:
    from cdk8s import Chart

# Workload kind (spec type) -> builder(k8s, chart, target): the one list. A new kind is one line here.
BUILDERS: dict[type, Callable[[ModuleType, Chart, Target], None]] = {
    Service: service.build,
    Worker: worker.build,
    ModelServer: model_server.build,
    StatefulService: stateful_service.build,
    Job: job.build,
    CronJob: cron_job.build,
    TrainingJob: training_job.build,
}

# Objects every kind may need, made as plain data after its builder: fn(target) -> [object].
APP_OBJECTS: tuple[Callable[[Target], list[dict]], ...] = (external_secrets,)

PARALLEL_MIN_TARGETS = 60  # below this, starting worker processes costs more than it saves
CHUNK = 20


class Rendered:
    """The files of one target: (file name, text, object) in name order, read from the cache only
    when asked for (an unchanged tree never needs them)."""

    __slots__ = ("env", "app", "spec_file", "spec_line", "key", "_files", "_load", "_ids", "_load_ids")

    def __init__(self, env: str, app: str, spec_file: str, spec_line: int,
                 files: tuple | None = None, key: str = "", load: Callable[[], list | None] | None = None,
                 load_ids: Callable[[], list | None] | None = None):
        self.env, self.app, self.spec_file, self.spec_line, self.key = env, app, spec_file, spec_line, key
        self._files, self._load, self._load_ids = files, load, load_ids
        self._ids: list[dict] | None = None

    @property
    def identities(self) -> list[dict]:
        """apiVersion, kind, metadata.name/namespace (and a rollout's progressDeadlineSeconds) of
        each object: all that whole-set generators (delivery) need, without the full files."""
        if self._ids is None:
            ids = self._load_ids() if (self._files is None and self._load_ids) else None
            self._ids = ids if isinstance(ids, list) else identities(obj for _, _, obj in self.files)
        return self._ids

    @property
    def files(self) -> tuple[tuple[str, str, dict], ...]:
        if self._files is None:
            loaded = self._load() if self._load else None
            if loaded is None:
                raise GitopsError(f"cached output of app {self.app!r} ({self.env}) is unreadable; run again with --no-cache")
            self._files = tuple(tuple(f) for f in loaded)
        return self._files


def identities(objects: Any) -> list[dict]:
    out = []
    for obj in objects:
        meta = obj.get("metadata") or {}
        ident = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": {"name": meta.get("name")}}
        if meta.get("namespace"):
            ident["metadata"]["namespace"] = meta["namespace"]
        deadline = (obj.get("spec") or {}).get("progressDeadlineSeconds") if isinstance(obj.get("spec"), dict) else None
        if deadline is not None:  # how long a rollout may take: delivery timeouts follow it
            ident["spec"] = {"progressDeadlineSeconds": deadline}
        out.append(ident)
    return out


def render(t: Target, objects: list[dict], hooks: tuple[Callable[[Target, dict], dict], ...] = ()) -> Rendered:
    """The files of one target. `hooks` amend each object first (e.g. Argo CD sync waves)."""
    files: dict[str, tuple[str, str, dict]] = {}
    top = app_header(t.spec_file, t.name, t.env)
    for obj in objects:
        for hook in hooks:
            obj = hook(t, obj)
        obj = ordered(obj)
        file_name = object_file(obj)
        if file_name in files:
            raise InputError(f"app {t.name!r}: two resources would both be written to {file_name} in "
                             f"environment {t.env!r}; give them different names", file=t.spec_file, line=t.spec_line)
        try:
            files[file_name] = (file_name, top + dump(obj), obj)
        except UndeliverableValue as exc:
            name = (obj.get("metadata") or {}).get("name", "")
            raise InputError(f"app {t.name!r}, environment {t.env!r}, {obj.get('kind')} {name}: {exc.describe()}",
                             file=t.spec_file, line=t.spec_line) from None
    return Rendered(t.env, t.name, t.spec_file, t.spec_line, tuple(files[k] for k in sorted(files)), key="")


def synth_objects(cdk8s: ModuleType, k8s: ModuleType, t: Target) -> list[dict]:
    builder = BUILDERS.get(type(t.app))
    if builder is None:
        raise GitopsError(f"no builder registered for {type(t.app).__name__}")
    app = cdk8s.App(outdir=os.devnull)
    chart = cdk8s.Chart(app, t.name, disable_resource_name_hashes=True)
    builder(k8s, chart, t)
    # to_json hands back parsed JSON: cheaper than synth_yaml plus a YAML parse here (measured).
    objects = [doc for doc in chart.to_json() if doc]
    # Objects made as plain data for every kind, then the spec's own escape hatches (last, so a
    # patch can reach everything gitops made).
    for made in APP_OBJECTS:
        objects += made(t)
    return apply_hatches(t, objects)


# --- caching -------------------------------------------------------------------------------------

_CODE_HASH: str | None = None


def code_hash() -> str:
    """Hash of this tool's code, so a new version of the tool never reuses stale cached output."""
    global _CODE_HASH
    if _CODE_HASH is None:
        h = hashlib.sha256(__version__.encode())
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for folder, dirs, files in sorted(os.walk(package)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".py", ".json", ".yaml")):
                    with open(os.path.join(folder, name), "rb") as fh:
                        h.update(os.path.relpath(os.path.join(folder, name), package).encode() + fh.read())
        _CODE_HASH = h.hexdigest()
    return _CODE_HASH


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "source"}
        out["__type__"] = type(value).__name__
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def fingerprint(t: Target) -> str:
    if t.input_key:  # the loader knows what the target is made from: no need to walk the spec
        return hashlib.sha256((code_hash() + t.input_key).encode()).hexdigest()
    payload = {"code": code_hash(), "target": _plain(t)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=repr).encode()).hexdigest()


class Cache:
    """Rendered files by target fingerprint, one JSON file each. Disabled when folder is None."""

    def __init__(self, folder: str | None):
        self.folder = folder

    def _path(self, key: str) -> str:
        return os.path.join(self.folder or "", key[:2], key + ".json")

    def has(self, key: str) -> bool:
        return bool(self.folder) and os.path.exists(self._path(key))

    def get(self, key: str) -> list | None:
        if not self.folder:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return None

    def put(self, key: str, objects: list) -> None:
        if self.folder:
            # dumps, not dump: json.dump streams through the pure-Python encoder (5x slower).
            write_cache_file(self._path(key), json.dumps(objects, separators=(",", ":")).encode("utf-8"))


# --- running -------------------------------------------------------------------------------------

_WORKER_LIBS: tuple[Any, Any] | None = None


def _libs() -> tuple[Any, Any]:
    global _WORKER_LIBS
    if _WORKER_LIBS is None:
        from .bridge import load_cdk8s

        _WORKER_LIBS = load_cdk8s()
    return _WORKER_LIBS


def _work(chunk: list[Target]) -> list[list[dict]]:
    cdk8s, k8s = _libs()
    return [synth_objects(cdk8s, k8s, t) for t in chunk]


def _work_rendered(chunk: list[Target], hooks: tuple = ()) -> list[list]:
    """Synthesize and render a chunk (in a worker): rendering there uses both cores too."""
    return [[list(f) for f in render(t, objs, hooks).files] for t, objs in zip(chunk, _work(chunk))]


def _warm() -> int:
    _libs()
    return os.getpid()


class Workers:
    """Worker processes started ahead of time, so that their start-up (Python, cdk8s, Node: about
    a second each) overlaps the loading of the specs instead of following it."""

    def __init__(self, count: int | None = None):
        self._context = _pool(count or default_workers())
        self.pool = self._context.__enter__()
        for _ in range(count or default_workers()):
            self.pool.submit(_warm)

    def close(self) -> None:
        self._context.__exit__(None, None, None)


def default_workers() -> int:
    """Worker processes for big runs: GITOPS_WORKERS when set (1 keeps everything in-process)."""
    try:
        return max(1, int(os.environ["GITOPS_WORKERS"]))
    except (KeyError, ValueError):
        return min(os.cpu_count() or 1, 4)


def run(targets: list[Target], cache: Cache, progress: Callable[[int, int], None] | None = None,
        workers: int | None = None, hooks: tuple[Callable[[Target, dict], dict], ...] = (),
        started: Workers | None = None) -> list[Rendered]:
    """Synthesize and render every target (cache first), in the order given.

    The cache holds rendered files (name, text, object), so an unchanged target costs one small
    JSON read: no Node, no cdk8s, no YAML. `hooks` amend each object before it is rendered and
    cached; what they depend on (config, gitops code) is part of every cache key.
    """
    keys = [fingerprint(t) for t in targets]
    results: list[list | None] = [None] * len(targets)
    missing = [i for i, k in enumerate(keys) if not cache.has(k)]
    done = len(targets) - len(missing)
    if progress:
        progress(done, len(targets))
    workers = workers or default_workers()
    if len(missing) >= PARALLEL_MIN_TARGETS and workers > 1:
        chunks = [missing[i:i + CHUNK] for i in range(0, len(missing), CHUNK)]
        with (nullcontext(started.pool) if started else _pool(workers)) as pool:
            futures = {pool.submit(_work_rendered, [targets[i] for i in chunk], hooks): chunk for chunk in chunks}
            for future in as_completed(futures):
                for i, files in zip(futures[future], future.result()):
                    results[i] = files
                    _store(cache, keys[i], files)
                done += len(futures[future])
                if progress:
                    progress(done, len(targets))
    else:
        for i in missing:
            results[i] = rendered = _work_rendered([targets[i]], hooks)[0]
            _store(cache, keys[i], rendered)
            done += 1
            if progress:
                progress(done, len(targets))
    out = []
    for t, key, r in zip(targets, keys, results):
        known = tuple(tuple(f) for f in r) if r is not None else None
        out.append(Rendered(t.env, t.name, t.spec_file, t.spec_line, known, key, partial(cache.get, key),
                            partial(cache.get, key + ".ids")))
    return out


def _store(cache: Cache, key: str, files: list) -> None:
    cache.put(key, files)
    cache.put(key + ".ids", identities(f[2] for f in files))


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    import multiprocessing

    # Workers start fresh (spawn: the parent may hold a jsii pipe that must not be shared) and
    # optimized, which skips jsii's per-call runtime type checks (about half of the bridge cost).
    # Workers are spawned on demand, so the variable stays set while the pool is in use.
    previous = os.environ.get("PYTHONOPTIMIZE")
    os.environ["PYTHONOPTIMIZE"] = "1"
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        if previous is None:
            os.environ.pop("PYTHONOPTIMIZE", None)
        else:
            os.environ["PYTHONOPTIMIZE"] = previous
