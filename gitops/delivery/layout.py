"""Delivery files under generated/: `<env>/_argocd/` and `<env>/_flux/`, one object per file, each
folder with a kustomization.yaml. Registered in `gitops.synth.pipeline.EXTRA_FILES`."""
from __future__ import annotations

import dataclasses
from typing import Any

from ..config import CONFIG_FILE, Config
from ..errors import InputError
from ..synth import kueue
from ..write.layout import app_folder, header, object_file
from ..write.tree import KUSTOMIZATION, kustomization
from ..yamlio import UndeliverableValue, dump, ordered
from . import argocd, flux
from .common import AppUnit, EnvPlan
from .graph import Graph, Node, build
from .settings import Delivery, check_projects, cluster_of, delivery_of
from .waves import with_wave


def graphs(config: Config, targets: list) -> dict[str, Graph]:
    """The dependency graph of each environment (checked even when no delivery is configured). The
    environment's Kueue objects are a unit of their own, which apps that use a queue sync after."""
    out = {}
    for env in config.environments:
        platform = kueue.delivery_unit(config, env) is not None
        nodes = [Node(t.name, tuple(getattr(t.app, "depends_on", ()) or ())
                      + ((kueue.UNIT,) if platform and getattr(t.app, "queue", None) else ()), t.spec_file, t.spec_line)
                 for t in targets if t.env == env.name]
        if platform:
            clash = next((n for n in nodes if n.name == kueue.UNIT), None)
            if clash is not None:
                raise InputError(f"app name {kueue.UNIT!r} is taken by the Kueue objects of environment {env.name} "
                                 f"(generated/{env.name}/{kueue.FOLDER}); rename the app",
                                 file=clash.spec_file, line=clash.spec_line)
            nodes.append(Node(kueue.UNIT, (), config.file or "", None))
        out[env.name] = build(env.name, nodes)
    return out


def plans(config: Config, delivery: Delivery, targets: list, rendered: list) -> list[EnvPlan]:
    by_env = graphs(config, targets)
    objects = {(r.env, r.app): tuple(r.identities) for r in rendered}
    out = []
    for env in config.environments:
        units = [AppUnit(t.name, t.namespace, delivery.repo_path(f"{config.generated_dir}/{app_folder(env.name, t.name)}"),
                         objects.get((env.name, t.name), ()), queued=bool(getattr(t.app, "queue", None)))
                 for t in targets if t.env == env.name]
        if (platform := kueue.delivery_unit(config, env)) is not None:
            name, folder, objs = platform
            units.append(AppUnit(name, kueue.NAMESPACE, delivery.repo_path(folder), tuple(
                {"apiVersion": o["apiVersion"], "kind": o["kind"], "metadata": {"name": o["metadata"]["name"]}}
                for o in objs), cluster_scoped=True))
        units.sort(key=lambda u: u.name)
        cluster = cluster_of(env)
        if cluster.prune is None:  # production: deletions wait for a human (docs/delivery.md)
            cluster = dataclasses.replace(cluster, prune=not env.production)
        queue = kueue.environment_kueue(config, env)
        out.append(EnvPlan(env.name, delivery, cluster, tuple(units), by_env[env.name],
                           delivery.repo_path(f"{config.generated_dir}/{env.name}"),
                           queued_suspended=queue is not None and queue.suspend))
    return out


def _files(folder: str, objs: list[dict], env: str, config: Config) -> dict[str, str]:
    # The file name only: a path relative to the working directory would make output depend on it.
    top = header(CONFIG_FILE, "delivery", env, "the config or the specs")
    files: dict[str, str] = {}
    for obj in objs:
        name = object_file(obj)
        if f"{folder}/{name}" in files:
            raise InputError(f"two delivery objects would both be written to {folder}/{name}; "
                             "rename the app that collides with it", file=config.file or "")
        try:
            files[f"{folder}/{name}"] = top + dump(ordered(obj))
        except UndeliverableValue as exc:
            raise InputError(f"{folder}/{name}: {exc.describe()}", file=config.file or "") from None
    names = [p.rpartition("/")[2] for p in files]
    files[f"{folder}/{KUSTOMIZATION}"] = kustomization(names, top.rstrip("\n"))
    return files


def delivery_files(config: Config, targets: list, rendered: list) -> dict[str, str]:
    delivery = delivery_of(config)
    if delivery is None:
        graphs(config, targets)  # dependencies are checked in every project
        return {}
    if delivery.argocd_enabled:
        check_projects(delivery, config.env_names, config.file or "", None)
    files: dict[str, str] = {}
    for plan in plans(config, delivery, targets, rendered):
        if delivery.argocd_enabled:
            files.update(_files(f"{plan.env}/{argocd.FOLDER}", argocd.objects(plan, config.namespace), plan.env, config))
        if delivery.flux_enabled:
            files.update(_files(f"{plan.env}/{flux.FOLDER}", flux.objects(plan), plan.env, config))
    return files


def sync_wave_hook(config: Config, target: Any, obj: dict) -> dict:
    """Give each synthesized object its in-app Argo CD sync wave, when Argo CD is a target."""
    delivery = delivery_of(config)
    return with_wave(obj) if delivery is not None and delivery.argocd_enabled else obj
