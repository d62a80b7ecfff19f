"""How a ModelServer is served by KServe (`output="kserve"` or `"kserve-llm"`): the model, where it
is stored, how KServe scales it and how much traffic a new version gets first."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .base import _int_in, _Part, _require, wrap_part_init

SCALE_METRICS = ("concurrency", "rps", "cpu", "memory")
DEPLOYMENT_MODES = ("RawDeployment", "Serverless")
PROTOCOLS = ("v1", "v2", "grpc-v2")
# Schemes KServe's storage initializer downloads from (kserve/storage), plus pvc:// and oci:// (modelcars).
STORAGE_SCHEMES = ("gs://", "s3://", "hf://", "pvc://", "oci://", "https://", "http://", "hdfs://", "webhdfs://")
_FORMAT = re.compile(r"^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$")


@dataclass(frozen=True, kw_only=True)
class KServe(_Part):
    """The KServe side of a ModelServer.

    - model_format (e.g. "sklearn", "pytorch", "huggingface"): the predictor serves a model of this
      format, and the app's own image becomes a `ServingRuntime` named after the app that declares
      the format (a custom runtime). None: the app's container is the predictor (a custom container).
    - storage_uri: where KServe's storage initializer fetches the model from (gs://, s3://, hf://,
      pvc://, oci://, https://) into /mnt/models before the server starts.
    - canary_percent: the share of traffic the newest revision gets while the previous one keeps
      the rest (`canaryTrafficPercent`); set it only once a previous revision exists.
    Replicas come from the ModelServer: `autoscaling` min/max (else `replicas` for both).

    Defaults, each with its reason:
    - deployment_mode="RawDeployment": plain Deployments and HPAs, no Knative or Istio needed; the
      mode is the `serving.kserve.io/deploymentMode` annotation.
    - scale_metric=None: with `autoscaling`, "cpu" at its cpu_percent in RawDeployment mode (the
      HPA KServe makes there scales on cpu or memory) and "concurrency" in Serverless mode (Knative
      scales on requests in flight, what GPU servers saturate on); set it (and scale_target) to
      choose. Without autoscaling the replica count is fixed and no metric is written.
    """

    model_format: str | None = None
    model_format_version: str | None = None  # the format version the runtime declares (e.g. "1")
    storage_uri: str | None = None
    protocol: str | None = None  # the inference protocol: v1, v2 or grpc-v2 (default: the runtime's)
    scale_metric: str | None = None
    scale_target: int | None = None  # the target of scale_metric per replica (default: see scale_metric)
    canary_percent: int | None = None
    deployment_mode: str = "RawDeployment"

    def _validate(self) -> None:
        if self.model_format is not None:
            _require(isinstance(self.model_format, str) and bool(_FORMAT.match(self.model_format)), "model_format",
                     f"got {self.model_format!r}; expected a model format name such as sklearn or huggingface")
        if self.model_format_version is not None:
            _require(self.model_format is not None, "model_format_version", "set model_format too")
            _require(isinstance(self.model_format_version, str) and bool(self.model_format_version),
                     "model_format_version", f"got {self.model_format_version!r}; expected a version string")
        if self.storage_uri is not None:
            _require(isinstance(self.storage_uri, str) and self.storage_uri.startswith(STORAGE_SCHEMES)
                     and len(self.storage_uri) > 8 and " " not in self.storage_uri, "storage_uri",
                     f"got {self.storage_uri!r}; expected a URI starting with one of {', '.join(STORAGE_SCHEMES)}")
        _require(self.protocol is None or self.protocol in PROTOCOLS, "protocol",
                 f"got {self.protocol!r}; expected one of {', '.join(PROTOCOLS)} or None")
        _require(self.scale_metric is None or self.scale_metric in SCALE_METRICS, "scale_metric",
                 f"got {self.scale_metric!r}; expected one of {', '.join(SCALE_METRICS)}")
        if self.scale_target is not None:
            _int_in(self.scale_target, "scale_target", 1, 100000)
        if self.canary_percent is not None:
            _int_in(self.canary_percent, "canary_percent", 0, 100)
        _require(self.deployment_mode in DEPLOYMENT_MODES, "deployment_mode",
                 f"got {self.deployment_mode!r}; expected one of {', '.join(DEPLOYMENT_MODES)}")


wrap_part_init(KServe)
