"""Argo Rollouts output of a Service (or Worker, ModelServer): a Rollout in place of the Deployment,
an AnalysisTemplate for its Prometheus analysis, and for blue-green the preview Service.

The Rollout keeps everything the Deployment had (selector, pod template, progress deadline,
revision history) and adds the strategy: canary steps `setWeight`, `pause` (always with a
duration), with the analysis running in the background from the first step; or blue-green with
the app's Service as the active one and `<app>-preview` as the preview. Field names follow the
Rollout and AnalysisTemplate CRDs (argoproj/argo-rollouts `manifests/crds/`).
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..spec.parts.rollout import Analysis, BlueGreen, Canary
from .context import Target
from .custom import custom_object, metadata_json, template_json
from .kinds.base import meta

if TYPE_CHECKING:
    from cdk8s import Chart

API_VERSION = "argoproj.io/v1alpha1"
PREVIEW_SUFFIX = "-preview"
# What the AnalysisTemplate's query may refer to; the Rollout passes the values.
ARGS = ("service", "namespace")


def preview_name(t: Target) -> str:
    return f"{t.app.name}{PREVIEW_SUFFIX}"


def _analysis_ref(t: Target) -> dict:
    return {"templates": [{"templateName": t.app.name}],
            "args": [{"name": "service", "value": t.app.name}, {"name": "namespace", "value": t.namespace}]}


def _strategy(t: Target, max_surge: Any, max_unavailable: Any) -> dict:
    strategy = t.app.rollout
    if isinstance(strategy, Canary):
        steps: list[dict] = []
        for weight in strategy.steps:
            steps += [{"setWeight": weight}, {"pause": {"duration": f"{strategy.pause_seconds}s"}}]
        canary: dict[str, Any] = {"maxSurge": max_surge, "maxUnavailable": max_unavailable, "steps": steps}
        if strategy.analysis is not None:
            # In the background from the first step: a failed measurement aborts at any weight.
            canary["analysis"] = {**_analysis_ref(t), "startingStep": 1}
        return {"canary": canary}
    assert isinstance(strategy, BlueGreen)
    blue_green: dict[str, Any] = {
        "activeService": t.app.name, "previewService": preview_name(t),
        "autoPromotionEnabled": strategy.auto_promote_seconds is not None,
        "scaleDownDelaySeconds": strategy.scale_down_delay_seconds}
    if strategy.auto_promote_seconds is not None:
        blue_green["autoPromotionSeconds"] = strategy.auto_promote_seconds
    if strategy.analysis is not None:
        # Judged on the preview before any user traffic reaches the new version.
        blue_green["prePromotionAnalysis"] = _analysis_ref(t)
    return {"blueGreen": blue_green}


def build_rollout(k8s: ModuleType, chart: Chart, t: Target, metadata: Any, template: Any, progress_deadline: int
                  ) -> None:
    """The Rollout (and what its strategy needs) in place of a Deployment with this pod template."""
    app = t.app
    spec: dict[str, Any] = {}
    if not (app.autoscaling or getattr(app, "event_scaling", None)):  # an autoscaler owns the replica count
        spec["replicas"] = app.replicas
    spec.update({
        "revisionHistoryLimit": 5,
        "progressDeadlineSeconds": progress_deadline,
        "selector": {"matchLabels": t.selector_labels()},
        "strategy": _strategy(t, app.max_surge, app.max_unavailable),
        "template": template_json(k8s, template),
    })
    custom_object(chart, "rollout", API_VERSION, "Rollout", metadata_json(metadata), spec)
    analysis = app.rollout.analysis
    if analysis is not None:
        build_analysis_template(k8s, chart, t, analysis)


def build_analysis_template(k8s: ModuleType, chart: Chart, t: Target, analysis: Analysis) -> None:
    metric = {
        "name": analysis.name,
        "interval": f"{analysis.interval_seconds}s",
        "count": analysis.count,
        "failureLimit": analysis.failure_limit,
        "successCondition": analysis.success,
        "provider": {"prometheus": {"address": analysis.prometheus, "query": analysis.query}},
    }
    custom_object(chart, "analysis-template", API_VERSION, "AnalysisTemplate", metadata_json(meta(k8s, t)),
                  {"args": [{"name": name} for name in ARGS], "metrics": [metric]})
