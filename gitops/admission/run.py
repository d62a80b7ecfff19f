"""Running the set-wide cluster checks from `gitops check` (a stage) and `gitops validate`.

Which profile a resource is checked against: `gitops check` knows each resource's environment and
uses its `cluster:` profile. `gitops validate` uses `--cluster NAME` when given; otherwise a file
under `generated/<env>/` gets that environment's profile, and any other file the generic one.
"""
from __future__ import annotations

import os
from typing import Iterable

from ..config import Config
from ..errors import InputError
from ..findings import Finding
from ..manifests.reader import locate_line
from ..manifests.resource import Resource
from ..report.model import ValidationReport
from ..synth.cluster import BUILTIN, DEFAULT_PROFILE, SECTION, ClusterProfile, profile_for
from .stage import check_set

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


def cluster_stage(config: Config, resources: list[Resource], base: list[Resource] | None = None,
                  on_disk: bool = True) -> list[Finding]:
    """The stage of `gitops check`: each environment's resources against its cluster profile."""
    groups: dict[str, list[Resource]] = {}
    for res in resources:
        groups.setdefault(res.origin.env or "", []).append(res)
    names = set(config.env_names)
    out: list[Finding] = []
    for env in sorted(groups):
        profile = profile_for(config, config.environment(env)) if env in names else _profiles(config)[DEFAULT_PROFILE]
        out += _check(profile, groups[env], config.kubernetes_version, on_disk)
    return out


def _env_of(config: Config, file: str) -> str | None:
    generated = config.path(config.generated_dir)
    try:
        rel = os.path.relpath(os.path.abspath(file), generated)
    except ValueError:
        return None
    head = rel.split(os.sep)[0]
    return head if not rel.startswith("..") and head in config.env_names else None


def add_cluster_findings(report: ValidationReport, config: Config, cluster: str | None, kubernetes_version: str) -> None:
    """`gitops validate`: the kept resources checked as one set per profile; counts updated."""
    groups: dict[str, tuple[ClusterProfile, list[Resource]]] = {}
    for res in report.kept:
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
        found += _check(profile, items, kubernetes_version, True)
    if not found:
        return
    already_invalid = {(f.origin.file, f.origin.doc_index) for f in report.findings if f.severity == "error"}
    newly = {(f.origin.file, f.origin.doc_index) for f in found if f.severity == "error"} - already_invalid
    moved = min(len(newly), report.valid)
    report.valid -= moved
    report.invalid += moved
    for checked in report.checked:
        if (checked.file, checked.doc_index) in newly and checked.status == "valid":
            object.__setattr__(checked, "status", "invalid")
    report.findings.extend(found)
