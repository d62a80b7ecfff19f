"""HorizontalPodAutoscaler for any scalable workload: resource, custom (Pods, Object) and External
metrics, with the scaling behaviour the spec declares."""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..spec.parts.autoscaling import Metric
from .context import Target
from .pod import quantity

if TYPE_CHECKING:
    from cdk8s import Chart


def _target(k8s: ModuleType, m: Metric) -> Any:
    if m.value is not None:
        return k8s.MetricTargetV2(type="Value", value=quantity(k8s, m.value))
    assert m.average_value is not None  # Metric requires exactly one of value and average_value
    return k8s.MetricTargetV2(type="AverageValue", average_value=quantity(k8s, m.average_value))


def metric_spec(k8s: ModuleType, m: Metric) -> Any:
    selector = k8s.LabelSelector(match_labels=dict(m.selector)) if m.selector else None
    ident = k8s.MetricIdentifierV2(name=m.name, selector=selector)
    if m.kind == "pods":
        return k8s.MetricSpecV2(type="Pods", pods=k8s.PodsMetricSourceV2(metric=ident, target=_target(k8s, m)))
    if m.kind == "object":
        ref = k8s.CrossVersionObjectReferenceV2(api_version=m.object_api_version, kind=m.object_kind, name=m.object_name)
        return k8s.MetricSpecV2(type="Object", object=k8s.ObjectMetricSourceV2(
            described_object=ref, metric=ident, target=_target(k8s, m)))
    return k8s.MetricSpecV2(type="External", external=k8s.ExternalMetricSourceV2(metric=ident, target=_target(k8s, m)))


def build_autoscaler(k8s: ModuleType, chart: Chart, t: Target, kind: str, meta: Any) -> None:
    scaling = t.app.autoscaling
    metrics = []
    for resource, percent in (("cpu", scaling.cpu_percent), ("memory", scaling.memory_percent)):
        if percent is not None:
            metrics.append(k8s.MetricSpecV2(type="Resource", resource=k8s.ResourceMetricSourceV2(
                name=resource, target=k8s.MetricTargetV2(type="Utilization", average_utilization=percent))))
    metrics += [metric_spec(k8s, m) for m in scaling.metrics]
    up = None
    if scaling.scale_up_stabilization_seconds is not None:
        up = k8s.HpaScalingRulesV2(stabilization_window_seconds=scaling.scale_up_stabilization_seconds)
    k8s.KubeHorizontalPodAutoscalerV2(chart, "hpa", metadata=meta, spec=k8s.HorizontalPodAutoscalerSpecV2(
        min_replicas=scaling.min_replicas, max_replicas=scaling.max_replicas,
        scale_target_ref=k8s.CrossVersionObjectReferenceV2(api_version="apps/v1", kind=kind, name=t.app.name),
        metrics=metrics,
        behavior=k8s.HorizontalPodAutoscalerBehaviorV2(
            scale_up=up,
            scale_down=k8s.HpaScalingRulesV2(stabilization_window_seconds=scaling.scale_down_stabilization_seconds)),
    ))
