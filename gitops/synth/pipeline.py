"""The main job, stage by stage: load specs, resolve environments, synthesize; where the files go
in generated/ is `write/layout.py`.

Commands (cli.py) call these; they never print, they return values or raise GitopsError.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from ..config import Config
from ..yamlio import load_fast_all
from ..delivery.layout import delivery_files, sync_wave_hook
from ..errors import InputError, Problem
from ..manifests.resource import Origin, Resource
from ..write.layout import app_folder, folders_to_remove, layout
from ..write.tree import KUSTOMIZATION, Unit
from ..spec.loader import LoadedApp, SpecCache, load_apps, spec_files
from .cluster import app_settings, target_settings
from .context import Target
from .kueue import kueue_files
from .engine import PARALLEL_MIN_TARGETS, Cache, Rendered, Workers, code_hash, default_workers, run

# What synthesis makes besides each app's own objects; a new kind of extra output is one entry here.
# Extra generated files made from the whole set: fn(config, targets, rendered) -> {relpath: text}.
# They may use each target's name, env, namespace, depends_on and spec location, and each
# rendered target's `identities` (not its full files): that is what their cache key covers.
EXTRA_FILES: tuple[Callable[[Config, list[Target], list[Rendered]], dict[str, str]], ...] = (delivery_files,
                                                                                             kueue_files)
# Changes to each synthesized object that depend on project config: fn(config, target, obj) -> obj.
# They run after the cache, before the object is written.
OBJECT_HOOKS: tuple[Callable[[Config, Target, dict], dict[str, Any]], ...] = (sync_wave_hook,)


@dataclass(frozen=True)
class Synthesis:
    config: Config
    targets: list[Target]
    rendered: list[Rendered]
    cache: Cache = dataclasses.field(default_factory=lambda: Cache(None))
    idle_specs: tuple[str, ...] = ()  # spec files that expose no app (when this synthesis loaded them)
    partial: bool = False  # only some apps (a pull request's scope, a shard): no whole-set folders

    @functools.cached_property
    def units(self) -> dict[str, Unit]:
        """generated/ as folders: one per app and environment, plus extra (delivery) folders."""
        return layout(self.rendered, _extra_files(self.config, self.targets, self.rendered, self.cache))

    @property
    def files(self) -> dict[str, str]:
        """Every generated file, relative to generated/ (loads every unit)."""
        return {f"{folder}/{name}": text for folder, unit in self.units.items() for name, text in unit.load().items()}

    def resources(self) -> list[Resource]:
        """Every object this synthesis writes as a Resource whose origin names the generated file
        (and the spec): the apps' objects, and those of the extra folders (the Argo CD and Flux
        objects under <env>/_argocd and _flux), so the gate checks everything it writes."""
        out = []
        gen = self.config.generated_dir
        for r in self.rendered:
            for file_name, _text, obj in r.files:
                origin = Origin(file=os.path.join(gen, app_folder(r.env, r.app), file_name), line=3, app=r.app, env=r.env,
                                spec_file=r.spec_file, spec_line=r.spec_line)
                out.append(Resource(obj, origin))
        return out + self.extra_resources()

    def extra_resources(self) -> list[Resource]:
        """The objects of the folders made from the whole set of apps (delivery), not of one app."""
        if self.partial:
            return []
        apps = {f"{r.env}/{r.app}" for r in self.rendered}
        gen = self.config.generated_dir
        out = []
        for folder, unit in sorted(self.units.items()):
            if folder in apps:
                continue
            env = folder.split("/", 1)[0] if "/" in folder else None
            for name, text in sorted(unit.load().items()):
                if name == KUSTOMIZATION:  # how to build the folder, not an object sent to a cluster
                    continue
                for index, obj in enumerate(load_fast_all(text)):
                    if isinstance(obj, dict):
                        origin = Origin(file=os.path.join(gen, folder, name), doc_index=index, line=3 if index == 0 else 0,
                                        env=env if env in self.config.env_names else None)
                        out.append(Resource(obj, origin))
        return out


def config_hash(config: Config) -> str:
    """Hash of the settings that shape output (not where the project lives on disk)."""
    data = dataclasses.asdict(dataclasses.replace(config, root="", file=None))
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=repr).encode()).hexdigest()


def targets_for(config: Config, apps: list[LoadedApp]) -> list[Target]:
    targets = []
    settings_hash = config_hash(config)
    for env in config.environments:
        settings = target_settings(config, env)
        for item in apps:
            spec = item.for_environment(env.name)
            if not spec.enabled:  # the app skips this environment
                continue
            key = f"{settings_hash}:{item.input_hash}:{env.name}:{spec.name}" if item.input_hash else ""
            targets.append(Target(app=spec, env=env.name, production=env.production,
                                  namespace=config.namespace_for(spec.name, env.name, spec.namespace),
                                  spec_file=item.file, spec_line=item.line,
                                  settings=app_settings(config, settings, spec, item), input_key=key))
    return targets


def load(config: Config, use_cache: bool = True) -> list[Target]:
    return targets_for(config, load_specs(config, use_cache))


def load_specs(config: Config, use_cache: bool = True) -> list[LoadedApp]:
    apps_dir = config.path(config.apps_dir)
    if not os.path.isdir(apps_dir):
        raise InputError(f"no {config.apps_dir}/ folder in {config.root}: nothing to synthesize or check "
                         f"(run gitops in a project with {config.apps_dir}/ and gitops.yaml, or pass -C DIR)")
    cache = SpecCache(config.path(config.cache_dir) if use_cache else None, code_hash(), config.env_names)
    return load_apps(config.path(config.apps_dir), config.root, config.env_names, cache)


def idle_spec_files(config: Config, apps: list[LoadedApp]) -> tuple[str, ...]:
    """Spec files that expose no app (a typo, or an app commented out): their folders would go."""
    exposed = {a.exposed_by for a in apps}
    files = (os.path.relpath(p, config.root) for p in spec_files(config.path(config.apps_dir)))
    return tuple(rel for rel in files if rel not in exposed)


def whole_set_inputs(targets: list[Target], rendered: list[Rendered]) -> list[str]:
    """What EXTRA_FILES generators may use of each app: its identity, placement, dependencies, queue and
    spec location, and the identities of its objects. An image bump changes none of it."""
    parts = [json.dumps([t.env, t.name, t.namespace, list(getattr(t.app, "depends_on", ())), t.spec_file,
                         t.spec_line, getattr(t.app, "queue", None)]) for t in targets]
    return parts + [json.dumps([r.env, r.app, r.identities], sort_keys=True) for r in rendered]


def _extra_files(config: Config, targets: list[Target], rendered: list[Rendered], cache: Cache) -> dict[str, str]:
    """Files that EXTRA_FILES functions make from the whole set, cached by what they are made from."""
    if not EXTRA_FILES:
        return {}
    key = ""
    if rendered and all(r.key for r in rendered):
        # What such generators may use: the config, each target's identity, placement and
        # dependencies, and the identities of its objects. An image bump changes none of it.
        parts = [code_hash(), config_hash(config)] + whole_set_inputs(targets, rendered)
        key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        hit = cache.get(key)
        if isinstance(hit, list) and hit and isinstance(hit[0], dict):
            return hit[0]
    files: dict[str, str] = {}
    for extra in EXTRA_FILES:
        files.update(extra(config, targets, rendered))
    if key:
        cache.put(key, [files])
    return files


def synthesize(config: Config, use_cache: bool = True, progress: Callable[[int, int], None] | None = None,
               targets: list[Target] | None = None) -> Synthesis:
    started = _start_workers_early(config, use_cache) if targets is None else None
    idle: tuple[str, ...] = ()
    try:
        if targets is None:
            apps = load_specs(config, use_cache)
            targets, idle = targets_for(config, apps), idle_spec_files(config, apps)
        cache = Cache(config.path(config.cache_dir) if use_cache else None)
        hooks = tuple(partial(hook, config) for hook in OBJECT_HOOKS)
        rendered = run(targets, cache, progress=progress, hooks=hooks, started=started)
    finally:
        if started:
            started.close()
    return Synthesis(config, targets, rendered, cache, idle)


def refuse_emptying(config: Config, synthesis: Synthesis) -> None:
    """An empty apps folder, or a spec file that exposes no app, must not silently remove what
    generated/ holds: an input error that says what would go (`synth --allow-empty` proceeds)."""
    if synthesis.targets and not synthesis.idle_specs:
        return
    removed = folders_to_remove(config.path(config.generated_dir), synthesis.units)
    if not removed:
        return
    gen = os.path.relpath(config.path(config.generated_dir))
    listed = ", ".join(f"{gen}/{f}" for f in removed[:8]) + (f" and {len(removed) - 8} more" if len(removed) > 8 else "")
    what = f"synth would remove {len(removed)} folder(s) of {gen}/: {listed}; pass --allow-empty if that is intended"
    if not synthesis.targets and not synthesis.idle_specs:
        raise InputError(f"no spec file defines an app: {what}", file=os.path.relpath(config.path(config.apps_dir)))
    raise InputError(problems=[Problem(rel, None, "exposes no app (a module-level App, or a list named `apps`); "
                                       + what) for rel in synthesis.idle_specs])


def _start_workers_early(config: Config, use_cache: bool) -> Workers | None:
    """On a cold cache with many apps, start the synthesis workers before loading the specs."""
    warm = use_cache and os.path.isdir(config.path(os.path.join(config.cache_dir, "specs")))
    if warm or default_workers() < 2:
        return None
    expected = len(spec_files(config.path(config.apps_dir))) * len(config.environments)
    return Workers() if expected >= PARALLEL_MIN_TARGETS else None


def terminal_progress(label: str) -> Callable[[int, int], None] | None:
    """A progress line on a terminal; nothing when output is piped or CI is set."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label}: {done}/{total} apps{end}")
        sys.stderr.flush()

    return show
