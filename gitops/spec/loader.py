"""Loading `apps/**/*.py`.

Convention: a spec file exposes its apps as module-level variables bound to an App (or other
workload) object, or as a module-level list or tuple named `apps` (for files that build apps in a
loop). Each file is imported in isolation under its own module name; a file that fails is reported
with its own file and line, and the other files are still loaded so every problem shows at once.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import pickle
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import AbstractSet, Iterator

from ..cachefile import write_cache_file
from ..errors import InputError, Problem, SpecError
from .model import Service, Workload
from .parts import _PACKAGE_DIR
from .workloads import CronJob, Job, ModelServer, StatefulService, TrainingJob, Worker

# Every kind a spec file may define (App is Service). Subclasses come before their bases.
WORKLOAD_TYPES: tuple[type[Workload], ...] = (ModelServer, StatefulService, Worker, Service, CronJob, Job, TrainingJob)


@dataclass(frozen=True)
class LoadedApp:
    spec: Workload
    file: str  # path relative to the project root
    line: int
    input_hash: str = ""  # hash of the spec file and the project modules it may import; "" if unknown
    per_env: tuple = ()  # (environment, spec resolved for it) pairs, computed once and cached

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

    An entry is valid while the spec file, the gitops code and every project-local module that
    was imported by the time the file was loaded (helpers in apps/, shared code elsewhere in the
    repository) have the same content. Disabled when folder is None.
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
        return entry["apps"]

    def put(self, rel: str, source_sha: str, deps: dict[str, str], apps: list[LoadedApp]) -> None:
        if not self.folder:
            return
        entry = {"source": source_sha, "code": self.code, "envs": self.env_names, "deps": deps, "apps": apps}
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


class _ProjectModules:
    """Project-local modules loaded so far (not spec files, not in a virtualenv): path -> hash.

    Each module is looked at once, however many spec files are loaded after it."""

    def __init__(self, root: str, spec_paths: set[str]):
        self.root, self.spec_paths = root, spec_paths
        self.seen: set[str] = set()
        self.found: dict[str, str] = {}

    def current(self) -> dict[str, str]:
        for name, module in list(sys.modules.items()):
            if name in self.seen:
                continue
            self.seen.add(name)
            path = getattr(module, "__file__", None)
            if not path:
                continue
            path = os.path.abspath(path)
            if path.startswith(self.root + os.sep) and path not in self.spec_paths \
                    and "site-packages" not in path and not path.startswith(_PACKAGE_DIR + os.sep):
                sha = _file_sha(path)
                if sha:
                    self.found[path] = sha
        return dict(self.found)


def spec_files(apps_dir: str) -> list[str]:
    """Every spec file under `apps_dir`, sorted, skipping hidden folders and __pycache__."""
    found = []
    for folder, dirs, files in os.walk(apps_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        found += [os.path.join(folder, f) for f in files if f.endswith(".py") and not f.startswith("_")]
    return sorted(found)


class _SpecTimeout(BaseException):
    """Raised into a spec file that runs too long (BaseException: a bare `except Exception` in
    the spec must not swallow it)."""


def spec_timeout() -> float:
    try:
        return float(os.environ.get("GITOPS_SPEC_TIMEOUT", "60"))
    except ValueError:
        return 60.0


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (main thread of a POSIX process; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _SpecTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
        with _time_limit(spec_timeout()):
            spec.loader.exec_module(module)
    except _SpecTimeout:
        raise InputError(f"took longer than {spec_timeout():g} s to load (an endless loop?); "
                         "a spec file should only build apps", file=rel) from None
    except SpecError as exc:
        problem = exc.problems[0]
        raise SpecError(exc.bare_message, file=_rel(problem.file, root) or rel, line=problem.line,
                        app=exc.app, field=exc.field) from None
    except SyntaxError as exc:
        raise InputError(f"syntax error: {exc.msg}", file=rel, line=exc.lineno) from None
    except BaseException as exc:  # a spec file is user code: anything it raises is its own error
        if isinstance(exc, (KeyboardInterrupt, _SpecTimeout)):
            raise
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
    return [LoadedApp(app, _rel(app.where[0], root) or rel, app.where[1]) for app in found]


def load_apps(apps_dir: str, root: str, env_names: tuple[str, ...], cache: SpecCache | None = None,
              only: set[str] | None = None) -> list[LoadedApp]:
    """Load every spec file (or those in `only`, paths relative to the root); raise one InputError
    listing every problem found."""
    problems: list[Problem] = []
    loaded: list[LoadedApp] = []
    cache = cache or SpecCache(None, "")
    root = os.path.abspath(root)
    paths = spec_files(apps_dir)
    if only is not None:
        paths = [p for p in paths if os.path.relpath(p, root) in only]
    spec_paths = {os.path.abspath(p) for p in paths}
    project_modules = _ProjectModules(root, spec_paths)
    # Helpers beside the specs (apps/_common.py) are importable by name, as in a package. Each
    # load starts from fresh copies of the project's own modules and leaves none behind.
    _forget_modules_under(os.path.abspath(apps_dir))
    before = set(sys.modules)
    sys.path.insert(0, os.path.abspath(apps_dir))
    try:
        for path in paths:
            rel = os.path.relpath(path, root)
            try:
                with open(path, "rb") as fh:
                    source_sha = _sha(fh.read())
            except OSError as exc:
                problems.append(Problem(rel, None, f"cannot read: {exc.strerror}"))
                continue
            hit = cache.get(rel, source_sha)
            if hit is not None:
                loaded += hit
                continue
            try:
                apps = load_file(path, root)
            except InputError as exc:
                problems += exc.problems
                continue
            deps = project_modules.current()
            input_hash = _sha(json.dumps([rel, source_sha, sorted(deps.items())]).encode())
            try:
                apps = [dataclasses.replace(a, input_hash=input_hash,
                                            per_env=tuple((e, a.spec.for_environment(e)) for e in env_names))
                        for a in apps]
            except InputError as exc:
                problems += exc.problems
                continue
            cache.put(rel, source_sha, deps, apps)
            loaded += apps
    finally:
        sys.path.remove(os.path.abspath(apps_dir))
        _forget_modules_under(root, keep=before)
    by_name: dict[str, LoadedApp] = {}
    for item in loaded:
        for env in item.spec.environments:
            if env not in env_names:
                problems.append(Problem(item.file, item.line, f"app {item.spec.name!r}: environments: "
                                        f"{env!r} is not declared in gitops.yaml (declared: {', '.join(env_names)})"))
        other = by_name.get(item.spec.name)
        if other is not None:
            problems.append(Problem(item.file, item.line, f"app {item.spec.name!r} is defined twice: "
                                    f"here and at {other.file}:{other.line}; app names must be unique"))
        by_name[item.spec.name] = item
    if problems:
        raise InputError(problems=problems)
    return sorted(loaded, key=lambda a: a.spec.name)


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
