"""Running the set-wide cluster checks from `gitops check` (a stage) and `gitops validate`.

Which profile a resource is checked against: `gitops check` knows each resource's environment and
uses its `cluster:` profile, or the profile an app chose (`cluster=` in its spec, recorded on its
Namespace as `gitops.dev/cluster-profile`) for that app's namespace. `gitops validate` uses `--cluster NAME` when given; otherwise a file
under `generated/<env>/` gets that environment's profile, and any other file the generic one.
"""
from __future__ import annotations

import os
from typing import Iterable

from ..config import Config
from ..errors import InputError
from ..findings import Finding, ValidationReport
from ..manifests.reader import iter_manifest_files, locate_line, read_file
from ..manifests.resource import Resource
from ..synth.cluster import BUILTIN, DEFAULT_PROFILE, PROFILE_ANNOTATION, SECTION, ClusterProfile, profile_for
from ..check.shard import Shard
from .stage import check_set, relevant

__all__ = ["cluster_stage", "add_cluster_findings", "profile_named"]


def _profiles(config: Config) -> dict[str, ClusterProfile]:
    return {**BUILTIN, **config.sections.get(SECTION, {})}


def profile_named(config: Config, name: str) -> ClusterProfile:
    profiles = _profiles(config)
    if name not in profiles:
        raise InputError(f"--cluster: got {name!r}; expected one of {', '.join(sorted(profiles))} "
                         "(built in, or declared under clusters: in gitops.yaml)")
    return profiles[name]


def _check(profile: ClusterProfile, resources: Iterable[Resource], version: str, on_disk: bool) -> list[Finding]:
    return check_set(resources, profile.name, profile.inventory, version, locate_line if on_disk else None)


def _check_by_app_profile(config: Config, profile: ClusterProfile, resources: list[Resource], version: str,
                          on_disk: bool) -> list[Finding]:
    """`profile`'s checks, except for the namespaces of apps that chose their own profile (a GPU pool
    of the same cluster: `cluster=` in the spec, recorded on their Namespace), checked against it."""
    profiles = _profiles(config)
    chosen: dict[str, str] = {}
    for res in resources:
        if res.kind == "Namespace" and res.name:
            name = ((res.obj.get("metadata") or {}).get("annotations") or {}).get(PROFILE_ANNOTATION)
            if isinstance(name, str) and name in profiles and name != profile.name:
                chosen[res.name] = name
    if not chosen:
        return _check(profile, resources, version, on_disk)
    groups: dict[str, list[Resource]] = {}
    for res in resources:
        namespace = res.name if res.kind == "Namespace" else res.namespace
        groups.setdefault(chosen.get(namespace or "", profile.name), []).append(res)
    out: list[Finding] = []
    for name in sorted(groups):
        out += _check(profiles[name] if name != profile.name else profile, groups[name], version, on_disk)
    return out


# What the rest of a set may provide (a class, a CRD, an APIService): unknown on part of a set.
_NEEDS_WHOLE_SET = frozenset({"cluster-reference", "hpa-metrics-source"})


def cluster_stage(config: Config, resources: list[Resource], base: list[Resource] | None = None,
                  on_disk: bool = True, complete: bool = True) -> list[Finding]:
    """The stage of `gitops check`: each environment's resources against its cluster profile. On part
    of the set (the apps a pull request changes), findings the rest of the set could answer are left
    to the full gate on the main branch."""
    groups: dict[str, list[Resource]] = {}
    for res in resources:
        groups.setdefault(res.origin.env or "", []).append(res)
    names = set(config.env_names)
    out: list[Finding] = []
    for env in sorted(groups):
        profile = profile_for(config, config.environment(env)) if env in names else _profiles(config)[DEFAULT_PROFILE]
        out += _check_by_app_profile(config, profile, groups[env], config.kubernetes_version, on_disk)
    return out if complete else [f for f in out if f.rule not in _NEEDS_WHOLE_SET]


def _env_of(config: Config, file: str) -> str | None:
    generated = config.path(config.generated_dir)
    try:
        rel = os.path.relpath(os.path.abspath(file), generated)
    except ValueError:
        return None
    head = rel.split(os.sep)[0]
    return head if not rel.startswith("..") and head in config.env_names else None


def _other_shards(paths: list[str], shard: Shard) -> list[Resource]:
    """The resources these checks need from the files other shards validate (read, not validated)."""
    out: list[Resource] = []
    for path in iter_manifest_files(paths):
        if not shard.owns(path):
            out += [r for r in read_file(path)[0] if relevant(r)]
    return out


def add_cluster_findings(report: ValidationReport, config: Config, cluster: str | None, kubernetes_version: str,
                         shard: Shard | None = None, paths: list[str] | None = None) -> None:
    """`gitops validate`: the kept resources checked as one set per profile; counts updated.

    The set is every file, whatever the shard: under `--shard K/N` the first shard reads the other
    shards' files too and reports every finding of these checks (once, for `gitops merge`), the
    others none (a Namespace's label may sit in another shard's file).
    """
    if shard is not None and shard.index != 1:
        report.kept = []
        return
    kept = report.kept + (_other_shards(paths or [], shard) if shard is not None else [])
    groups: dict[str, tuple[ClusterProfile, list[Resource]]] = {}
    for res in kept:
        if cluster is not None:
            profile = profile_named(config, cluster)
        else:
            env = _env_of(config, res.origin.file)
            profile = profile_for(config, config.environment(env)) if env else _profiles(config)[DEFAULT_PROFILE]
        groups.setdefault(profile.name, (profile, []))[1].append(res)
    report.kept = []
    found: list[Finding] = []
    for name in sorted(groups):
        profile, items = groups[name]
        found += _check_by_app_profile(config, profile, items, kubernetes_version, True) if cluster is None \
            else _check(profile, items, kubernetes_version, True)
    if not found:
        return
    already_invalid = {(f.origin.file, f.origin.doc_index) for f in report.findings if f.severity == "error"}
    newly = {(f.origin.file, f.origin.doc_index) for f in found if f.severity == "error"
             and (shard is None or shard.owns(f.origin.file))} - already_invalid
    moved = min(len(newly), report.valid)
    report.valid -= moved
    report.invalid += moved
    for checked in report.checked:
        if (checked.file, checked.doc_index) in newly and checked.status == "valid":
            object.__setattr__(checked, "status", "invalid")
    report.findings.extend(found)
