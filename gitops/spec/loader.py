"""Loading `apps/**/*.py`.

Convention: a spec file exposes its apps as module-level variables bound to an App (or other
workload) object, or as a module-level list or tuple named `apps` (for files that build apps in a
loop). Each file is imported in isolation under its own module name; a file that fails is reported
with its own file and line, and the other files are still loaded so every problem shows at once.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass

from ..errors import InputError, Problem, SpecError
from .model import Service, Workload
from .workloads import CronJob, Job, ModelServer, StatefulService, TrainingJob, Worker

# Every kind a spec file may define (App is Service). Subclasses come before their bases.
WORKLOAD_TYPES: tuple[type, ...] = (ModelServer, StatefulService, Worker, Service, CronJob, Job, TrainingJob)


@dataclass(frozen=True)
class LoadedApp:
    spec: Workload
    file: str  # path relative to the project root
    line: int


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
    try:
        spec.loader.exec_module(module)
    except SpecError as exc:
        problem = exc.problems[0]
        raise SpecError(exc.bare_message, file=_rel(problem.file, root) or rel, line=problem.line,
                        app=exc.app, field=exc.field) from None
    except SyntaxError as exc:
        raise InputError(f"syntax error: {exc.msg}", file=rel, line=exc.lineno) from None
    except BaseException as exc:  # a spec file is user code: anything it raises is its own error
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise InputError(_describe(exc, path), file=rel, line=_line_in(exc, path)) from None
    finally:
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
    return [LoadedApp(app, _rel(app.source[0], root) or rel, app.source[1]) for app in found]


def load_apps(apps_dir: str, root: str, env_names: tuple[str, ...]) -> list[LoadedApp]:
    """Load every spec file; raise one InputError listing every problem found."""
    problems: list[Problem] = []
    loaded: list[LoadedApp] = []
    for path in spec_files(apps_dir):
        try:
            loaded += load_file(path, root)
        except InputError as exc:
            problems += exc.problems
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
