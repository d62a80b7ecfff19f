"""Loading `apps/**/*.py`.

Convention: a spec file exposes its apps as module-level variables bound to an App (or other
workload) object, or as a module-level list or tuple named `apps` (for files that build apps in a
loop). Each file is imported in a loader process (gitops.spec.pool, gitops.spec.loader_process) under its
own module name, with fresh copies of the project's own modules; a file that fails is reported with
its own file and line, and the other files are still loaded so every problem shows at once.

What a spec file reads (its source, the project modules it imports, the files, folder listings
and environment variables it reads: gitops.spec.inputs) keys the spec cache and the input hash of
its apps, so a change to any of them loads and synthesizes the file again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import pickle
import sys
import traceback
from dataclasses import dataclass
from typing import AbstractSet, Any

from ..cachefile import write_cache_file
from ..errors import InputError, Problem, SpecError
from .inputs import Inputs, Recorder
from .kinds.cron_job import CronJob
from .kinds.job import Job
from .kinds.model_server import ModelServer
from .kinds.service import Service
from .kinds.stateful_service import StatefulService
from .kinds.training_job import TrainingJob
from .kinds.worker import Worker
from .parts.base import _PACKAGE_DIR
from .reach import forget_later_stages, refuse_later_stages
from .workload import Workload

# Every kind a spec file may define (App is Service). Subclasses come before their bases.
WORKLOAD_TYPES: tuple[type[Workload], ...] = (ModelServer, StatefulService, Worker, Service, CronJob, Job, TrainingJob)


@dataclass(frozen=True)
class LoadedApp:
    spec: Workload
    file: str  # path relative to the project root
    line: int
    input_hash: str = ""  # hash of the spec file and the project modules it may import; "" if unknown
    per_env: tuple = ()  # (environment, spec resolved for it) pairs, computed once and cached
    exposed_by: str = ""  # the spec file that exposes it (relative to the root)
    reads: tuple[str, ...] = ()  # absolute paths of the files and folders its spec file read or imported
    reads_environment: bool = False  # its spec file read environment variables

    def for_environment(self, env: str) -> Workload:
        for name, spec in self.per_env:
            if name == env:
                return spec
        return self.spec.for_environment(env)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return _sha(fh.read())
    except OSError:
        return None


class SpecCache:
    """Loaded apps by spec file, so an unchanged file is not imported (nor validated) again.

    An entry is valid while the spec file, the gitops code, every project-local module it imported
    (helpers in apps/, shared code elsewhere in the repository) and every other input it read
    (files, folder listings, environment variables: see gitops.spec.inputs) are the same.
    Disabled when folder is None.
    """

    def __init__(self, folder: str | None, code: str, env_names: tuple[str, ...] = ()):
        self.folder, self.code, self.env_names = folder, code, list(env_names)

    def _path(self, rel: str) -> str:
        return os.path.join(self.folder or "", "specs", _sha(rel.encode())[:32] + ".pickle")

    def get(self, rel: str, source_sha: str) -> list[LoadedApp] | None:
        if not self.folder:
            return None
        try:
            with open(self._path(rel), "rb") as fh:
                entry = pickle.load(fh)
        except Exception:  # a missing, truncated or foreign cache file only costs time
            return None
        if entry.get("source") != source_sha or entry.get("code") != self.code or entry.get("envs") != self.env_names:
            return None
        if any(_file_sha(path) != sha for path, sha in entry.get("deps", {}).items()):
            return None
        inputs = entry.get("inputs")
        if not isinstance(inputs, Inputs) or not inputs.unchanged():
            return None
        return entry["apps"]

    def put(self, rel: str, source_sha: str, deps: dict[str, str], inputs: Inputs, apps: list[LoadedApp]) -> None:
        if not self.folder or inputs.volatile():
            return
        entry = {"source": source_sha, "code": self.code, "envs": self.env_names, "deps": deps, "inputs": inputs,
                 "apps": apps}
        try:
            data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a spec holding something unpicklable is simply not cached
        write_cache_file(self._path(rel), data)


def _forget_modules_under(folder: str, keep: AbstractSet[str] = frozenset()) -> None:
    """Drop project modules from sys.modules so the next load imports them afresh."""
    for name, module in list(sys.modules.items()):
        path = os.path.abspath(getattr(module, "__file__", None) or "/")
        if name not in keep and path.startswith(folder + os.sep) and "site-packages" not in path \
                and not path.startswith(_PACKAGE_DIR + os.sep):
            del sys.modules[name]


def _project_modules(root: str, skip: set[str]) -> dict[str, str]:
    """Project-local modules now imported (not in a virtualenv, not gitops itself): path -> hash."""
    found = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        path = os.path.abspath(path)
        if path.startswith(root + os.sep) and path not in skip and "site-packages" not in path \
                and not path.startswith(_PACKAGE_DIR + os.sep):
            sha = _file_sha(path)
            if sha:
                found[path] = sha
    return found


def spec_files(apps_dir: str) -> list[str]:
    """Every spec file under `apps_dir`, sorted, skipping hidden folders and __pycache__."""
    found = []
    for folder, dirs, files in os.walk(apps_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        found += [os.path.join(folder, f) for f in files if f.endswith(".py") and not f.startswith("_")]
    return sorted(found)


def load_file(path: str, root: str) -> list[LoadedApp]:
    rel = os.path.relpath(path, root)
    digest = hashlib.sha1(rel.encode()).hexdigest()[:10]
    module_name = f"gitops_spec_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise InputError("cannot be imported as Python", file=rel)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    previous_flag = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # never write __pycache__ into the user's apps/
    try:
        spec.loader.exec_module(module)
    except SpecError as exc:
        problem = exc.problems[0]
        raise SpecError(exc.bare_message, file=_rel(problem.file, root) or rel, line=problem.line,
                        app=exc.app, field=exc.field) from None
    except SyntaxError as exc:
        raise InputError(f"syntax error: {exc.msg}", file=rel, line=exc.lineno) from None
    except BaseException as exc:  # a spec file is user code: anything it raises is its own error
        raise InputError(_describe(exc, path), file=rel, line=_line_in(exc, path)) from None
    finally:
        sys.dont_write_bytecode = previous_flag
        sys.modules.pop(module_name, None)
    found: list[Workload] = []
    seen: set[int] = set()
    candidates = list(vars(module).items())
    listed = vars(module).get("apps")
    if isinstance(listed, (list, tuple)):
        candidates += [("apps", item) for item in listed]
    for _, value in candidates:
        if isinstance(value, WORKLOAD_TYPES) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return [LoadedApp(app, _rel(app.where[0], root) or rel, app.where[1], exposed_by=rel) for app in found]


def load_in_this_process(path: str, root: str, apps_dir: str, env_names: tuple[str, ...],
                         recorder: Recorder) -> tuple[Any, ...]:
    """Load one spec file here (a loader process): ("ok", apps, deps, inputs) or ("error", problems).

    Project modules imported for an earlier file are forgotten first, so each file imports its
    own copies and every file it reads is recorded for it; changes it makes to os.environ are undone.
    """
    root, apps_dir = os.path.abspath(root), os.path.abspath(apps_dir)
    if sys.path[:1] != [apps_dir]:  # helpers beside the specs (apps/_common.py) import by name
        sys.path.insert(0, apps_dir)
    _forget_modules_under(root)
    saved_environment = dict(os.environ._data)  # type: ignore[attr-defined]
    forget_later_stages()
    recorder.start()
    try:
        apps = load_file(path, root)
        refuse_later_stages(path, os.path.relpath(path, root))
        apps = [dataclasses.replace(a, per_env=tuple((e, a.spec.for_environment(e)) for e in env_names))
                for a in apps]
    except InputError as exc:
        return ("error", exc.problems)
    finally:
        deps = _project_modules(root, {os.path.abspath(path)})
        inputs = recorder.stop(skip=set(deps) | {os.path.abspath(path)})
        os.environ._data.clear()  # type: ignore[attr-defined]
        os.environ._data.update(saved_environment)  # type: ignore[attr-defined]
    return ("ok", apps, deps, inputs)


def load_apps(apps_dir: str, root: str, env_names: tuple[str, ...], cache: SpecCache | None = None,
              only: set[str] | None = None) -> list[LoadedApp]:
    """Load every spec file (or those in `only`, paths relative to the root); raise one InputError
    listing every problem found."""
    from .pool import load_files

    problems: list[Problem] = []
    loaded: list[LoadedApp] = []
    cache = cache or SpecCache(None, "")
    root = os.path.abspath(root)
    paths = spec_files(apps_dir)
    if only is not None:
        paths = [p for p in paths if os.path.relpath(p, root) in only]
    misses: list[tuple[str, str]] = []
    sources: dict[str, str] = {}
    for path in paths:
        rel = os.path.relpath(path, root)
        try:
            with open(path, "rb") as fh:
                sources[rel] = _sha(fh.read())
        except OSError as exc:
            problems.append(Problem(rel, None, f"cannot read: {exc.strerror}"))
            continue
        hit = cache.get(rel, sources[rel])
        if hit is not None:
            loaded += hit
        else:
            misses.append((rel, path))
    answers = load_files(misses, root, os.path.abspath(apps_dir), tuple(env_names))
    for rel, _ in misses:
        answer = answers[rel]
        if answer[0] != "ok":
            problems += [_relocated(p, root, rel) for p in answer[1]]
            continue
        _, apps, deps, inputs = answer
        input_hash = _sha(json.dumps([rel, sources[rel], sorted(deps.items()), inputs.key()]).encode())
        reads = tuple(sorted(set(deps) | set(inputs.paths())))
        apps = [dataclasses.replace(a, input_hash=input_hash, reads=reads, reads_environment=bool(inputs.variables))
                for a in apps]
        cache.put(rel, sources[rel], deps, inputs, apps)
        loaded += apps
    by_name: dict[str, LoadedApp] = {}
    for item in loaded:
        for env in item.spec.environments:
            if env not in env_names:
                problems.append(Problem(item.file, item.line, f"app {item.spec.name!r}: environments: "
                                        f"{env!r} is not declared in gitops.yaml (declared: {', '.join(env_names)})"))
        other = by_name.get(item.spec.name)
        if other is not None:
            problems.append(Problem(item.file, item.line, f"app {item.spec.name!r} is defined twice: "
                                    f"here{_imported(item)} and at {other.file}:{other.line}{_imported(other)}; "
                                    "app names must be unique (a spec that imports another spec's app exposes "
                                    "it again)"))
        by_name[item.spec.name] = item
    if problems:
        raise InputError(problems=problems)
    return sorted(loaded, key=lambda a: a.spec.name)


def _imported(item: LoadedApp) -> str:
    """Where an app defined in one file is exposed from another (a spec importing it)."""
    return f" (exposed by {item.exposed_by})" if item.exposed_by and item.exposed_by != item.file else ""


def _relocated(problem: Problem, root: str, rel: str) -> Problem:
    """A problem from a loader process, its file relative to the root (the spec file if none)."""
    if not problem.file:
        return Problem(rel, problem.line, problem.message)
    return problem


def _rel(path: str, root: str) -> str:
    if not path or path.startswith("<"):
        return ""
    return os.path.relpath(path, root)


def _line_in(exc: BaseException, path: str) -> int | None:
    """The deepest line of the traceback that is inside the spec file itself."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == os.path.abspath(path):
            line = frame.lineno
    return line


def _describe(exc: BaseException, path: str) -> str:
    return f"{type(exc).__name__}: {exc}"
