"""References: names inside and across objects that must point at something that exists in the set."""
from __future__ import annotations

import fnmatch
from typing import Any

from ...findings import Finding
from ..api import (POD_OWNER_KINDS, WORKLOAD_KINDS, as_map, containers, each, items, makes_pods, pod_spec,
                   pod_template_labels, selector_matches, selects_every_pod)

POD_OWNERS = POD_OWNER_KINDS


def _pods_selected(ctx, namespace: str, selector) -> list:
    return ctx.selected(namespace, selector, *POD_OWNERS)


def _selects_nothing(ctx, rule_id: str, obj, selector, path: str, what: str):
    """The finding for a selector that matches no workload of the set: an error, unless a custom
    resource in the namespace may make pods we cannot see (an operator's), then only an info."""
    makers = sorted({r.ref() for r in ctx.resources if r.namespace == obj.namespace and makes_pods(r)})
    if makers:
        yield Finding.about(obj, rule_id, "info", f"{what} {selector} matches no workload in the set; cannot tell "
                            f"whether pods of {', '.join(makers[:3])}{' ...' if len(makers) > 3 else ''} match it",
                            path=path, hint="if an operator makes those pods, ignore this; else fix the selector")
    else:
        yield Finding.about(obj, rule_id, ctx.severity, f"{what} {selector} matches no pods of any workload in the "
                            "set", path=path)


def _external(ctx, kind: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(f"{kind}/{name}", pattern) for pattern in ctx.options.get("external") or [])


class ServiceSelector:
    """A Service's selector matches the pods of a workload in the set.

    A selector that matches nothing gives a Service with no endpoints: requests fail while every
    object looks healthy. Services without a selector (manual endpoints) are skipped.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      selector: {app: apii}
      ports: [{port: 80, targetPort: 8080}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      selector: {app: api}
      ports: [{port: 80, targetPort: 8080}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```
    """

    ID = "service-selector"
    DESCRIPTION = "Service selectors match a workload's pods"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        return each(ctx, ServiceSelector.ID, ctx.of_kind("Service"), lambda svc: ServiceSelector.check_one(svc, ctx))

    @staticmethod
    def check_one(svc, ctx):
        selector = as_map(svc.obj.get("spec")).get("selector")
        if selector and not _pods_selected(ctx, svc.namespace, selector):
            yield from _selects_nothing(ctx, ServiceSelector.ID, svc, selector, "spec.selector", "selector")


class ServicePorts:
    """A Service's target ports exist on the pods it selects.

    A named `targetPort` no container declares, or a number no container exposes when containers
    declare their ports, sends traffic nowhere.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      selector: {app: api}
      ports: [{port: 80, targetPort: web}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0, ports: [{name: http, containerPort: 8080}]}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      selector: {app: api}
      ports: [{port: 80, targetPort: http}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0, ports: [{name: http, containerPort: 8080}]}]
    ```
    """

    ID = "service-ports"
    DESCRIPTION = "Service target ports exist on the selected pods"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        return each(ctx, ServicePorts.ID, ctx.of_kind("Service"), lambda svc: ServicePorts.check_one(svc, ctx))

    @staticmethod
    def check_one(svc, ctx):
        spec = as_map(svc.obj.get("spec"))
        pods = _pods_selected(ctx, svc.namespace, spec.get("selector")) if spec.get("selector") else []
        if not pods or any(w.kind not in WORKLOAD_KINDS for w in pods):
            return  # nothing selected (service-selector says so), or an operator's pods: ports unknown
        ports = [p for w in pods for c, _ in containers(w, init=False) for _, p in items(c.get("ports"))]
        names, numbers = {p.get("name") for p in ports}, {p.get("containerPort") for p in ports}
        for i, port in items(spec.get("ports")):
            target = port.get("targetPort", port.get("port"))
            if (isinstance(target, str) and target not in names) or \
                    (isinstance(target, int) and ports and target not in numbers):
                yield Finding.about(svc, ServicePorts.ID, ctx.severity, f"targetPort {target!r} is not a port "
                                    "of the selected pods", path=f"spec.ports[{i}].targetPort")


class IngressBackend:
    """An Ingress routes to Services in the set, on ports those Services have.

    Fails:

    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: api}
    spec:
      rules:
      - http:
          paths:
          - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
    ```

    Passes:

    ```yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: api}
    spec:
      rules:
      - http:
          paths:
          - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      ports: [{name: http, port: 80}]
    ```
    """

    ID = "ingress-backend"
    DESCRIPTION = "Ingress backends name existing Services and ports"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        return each(ctx, IngressBackend.ID, ctx.of_kind("Ingress"), lambda ing: IngressBackend.check_one(ing, ctx))

    @staticmethod
    def check_one(ing, ctx):
        spec = as_map(ing.obj.get("spec"))
        backends = []
        if spec.get("defaultBackend"):
            backends.append((spec["defaultBackend"], "spec.defaultBackend"))
        for i, rule in items(spec.get("rules")):
            for j, item in items(as_map(rule.get("http")).get("paths")):
                backends.append((as_map(item.get("backend")), f"spec.rules[{i}].http.paths[{j}].backend"))
        for backend, path in backends:
            service = backend.get("service")
            if not isinstance(service, dict):
                continue  # a resource backend: not a Service
            svc = ctx.find("Service", service.get("name", ""), ing.namespace)
            if svc is None:
                yield Finding.about(ing, IngressBackend.ID, ctx.severity, f"backend Service "
                                    f"{service.get('name')!r} is not in the set", path=f"{path}.service.name")
                continue
            port = as_map(service.get("port"))
            svc_ports = [p for p in (svc.obj.get("spec") or {}).get("ports") or [] if isinstance(p, dict)]
            if ("name" in port and port["name"] not in {p.get("name") for p in svc_ports}) or \
                    ("number" in port and port["number"] not in {p.get("port") for p in svc_ports}):
                yield Finding.about(ing, IngressBackend.ID, ctx.severity, f"Service {svc.name!r} has no port "
                                    f"{port.get('name', port.get('number'))!r}", path=f"{path}.service.port")


def pod_refs(res) -> list[tuple[str, str, str]]:
    """(kind, name, JSON path) of every ConfigMap, Secret, PVC and ServiceAccount a pod uses."""
    spec, base = pod_spec(res)
    if spec is None:
        return []
    out = []
    # A StatefulSet's claim templates replace pod volumes of the same name (one PVC per pod).
    templated = {as_map(t.get("metadata")).get("name") for _, t in items(as_map(res.obj.get("spec")).get(
        "volumeClaimTemplates"))} if res.kind == "StatefulSet" else set()
    account = spec.get("serviceAccountName")
    if account and account != "default":
        out.append(("ServiceAccount", account, f"{base}.serviceAccountName"))
    for i, volume in items(spec.get("volumes")):
        where = f"{base}.volumes[{i}]"
        config_map, secret, claim = (as_map(volume.get(k)) for k in ("configMap", "secret", "persistentVolumeClaim"))
        if config_map.get("name") and not config_map.get("optional"):
            out.append(("ConfigMap", config_map["name"], f"{where}.configMap.name"))
        if secret.get("secretName") and not secret.get("optional"):
            out.append(("Secret", secret["secretName"], f"{where}.secret.secretName"))
        if claim.get("claimName") and volume.get("name") not in templated:
            out.append(("PersistentVolumeClaim", claim["claimName"], f"{where}.persistentVolumeClaim.claimName"))
    for i, pull in items(spec.get("imagePullSecrets")):
        if pull.get("name"):
            out.append(("Secret", pull["name"], f"{base}.imagePullSecrets[{i}].name"))
    for c, path in containers(res):
        for i, var in items(c.get("env")):
            source = as_map(var.get("valueFrom"))
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = as_map(source.get(key))
                if ref.get("name") and not ref.get("optional"):
                    out.append((kind, ref["name"], f"{path}.env[{i}].valueFrom.{key}.name"))
        for i, source in items(c.get("envFrom")):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = as_map(source.get(key))
                if ref.get("name") and not ref.get("optional"):
                    out.append((kind, ref["name"], f"{path}.envFrom[{i}].{key}.name"))
    return out


SECRET_SOURCES = "gitops.dev/secret-sources"
SECRET_PROVIDERS = ("ExternalSecret", "SealedSecret")


def _secrets_made_in_cluster(ctx, namespace: str) -> set[str]:
    """Secrets a workload of the set creates at run time: a Role of the namespace grants `create` on
    secrets and names them in `resourceNames` (Argo CD's redis-secret-init, cert generators)."""
    out: set[str] = set()
    roles = list(ctx.in_namespace(namespace, "Role")) + (list(ctx.in_namespace("", "Role")) if namespace else [])
    for role in roles:  # a Role without a namespace lands in the namespace it is applied to
        rules = [r for _, r in items(role.obj.get("rules"))]
        if any("secrets" in (r.get("resources") or []) and "create" in (r.get("verbs") or []) for r in rules):
            for r in rules:
                if "secrets" in (r.get("resources") or []):
                    out |= {n for n in r.get("resourceNames") or [] if isinstance(n, str)}
    return out


def _provided_secrets(res) -> set[str]:
    """Secrets the workload says an ExternalSecret or SealedSecret makes (annotation written by
    synthesis from `FromSecret(provider=...)`: `ExternalSecret/db,SealedSecret/wandb`)."""
    value = (res.metadata.get("annotations") or {}).get(SECRET_SOURCES)
    if not isinstance(value, str):
        return set()
    out = set()
    for item in value.split(","):
        provider, _, name = item.strip().partition("/")
        if provider in SECRET_PROVIDERS and name:
            out.add(name)
    return out


class PodReferences:
    """ConfigMaps, Secrets, PersistentVolumeClaims and ServiceAccounts a pod uses exist in the set,
    or are declared external.

    A missing one keeps the pod from starting (`CreateContainerConfigError`, pending volumes).
    Objects made outside this repository (by a secret manager, by hand) are listed in `external` as
    `Kind/name` globs, e.g. `Secret/web-api-*`. References marked `optional: true` are skipped, and
    so are Secrets the workload's `gitops.dev/secret-sources` annotation says an ExternalSecret or
    SealedSecret makes (specs say so with `FromSecret(..., provider="ExternalSecret")`).

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        envFrom: [{configMapRef: {name: api-config}}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        envFrom: [{configMapRef: {name: api-config}}]
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: api-config}
    data: {LOG_LEVEL: info}
    ```
    """

    ID = "pod-references"
    DESCRIPTION = "ConfigMaps, Secrets, PVCs and ServiceAccounts used by pods exist (or are external)"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS
    OPTIONS: dict[str, Any] = {"external": []}

    @staticmethod
    def check(res, ctx):
        provided = _provided_secrets(res)
        made: set[str] | None = None
        for kind, name, path in pod_refs(res):
            if kind == "Secret" and ctx.find(kind, name, res.namespace) is None:
                made = _secrets_made_in_cluster(ctx, res.namespace) if made is None else made
                if name in made:
                    continue  # created at run time by a workload of the set
            if kind == "Secret" and name in provided:
                continue  # made in the cluster by the ExternalSecret/SealedSecret the workload names
            if ctx.find(kind, name, res.namespace) is None and not _external(ctx, kind, name):
                yield Finding.about(res, PodReferences.ID, ctx.severity, f"uses {kind} {name!r}, which is not in the "
                                    "set", path=path, hint=f"add it, or declare it external: {kind}/{name}")


class WorkloadSelector:
    """A workload's selector matches its own pod template's labels.

    The API server rejects a mismatch for Deployments; for other controllers it silently
    adopts, or never sees, the pods.

    Fails:

    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
    ```

    Passes:

    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec: {containers: [{name: api, image: ghcr.io/acme/api:1.0}]}
    ```
    """

    ID = "workload-selector"
    DESCRIPTION = "workload selectors match their pod template labels"
    SEVERITY = "error"
    KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")

    @staticmethod
    def check(res, ctx):
        if res.kind not in WorkloadSelector.KINDS:
            return
        selector = (res.obj.get("spec") or {}).get("selector")
        if not selector and (res.kind == "ReplicationController" or res.api_version.endswith("v1beta1")
                             or res.api_version == "apps/v1beta2"):
            return  # defaulted to the template's labels (ReplicationControllers, the old beta APIs)
        if not selector_matches(selector, pod_template_labels(res)):
            yield Finding.about(res, WorkloadSelector.ID, ctx.severity, "spec.selector does not match the pod "
                                "template's labels", path="spec.selector")


class PdbSelector:
    """A PodDisruptionBudget selects the pods of a workload in the set.

    Fails:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: apii}}}
    ```

    Passes:

    ```yaml
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: api}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: api}}}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```
    """

    ID = "pdb-selector"
    DESCRIPTION = "PodDisruptionBudgets select an existing workload"
    SEVERITY = "error"
    SCOPE = "set"

    @staticmethod
    def check(ctx):
        return each(ctx, PdbSelector.ID, ctx.of_kind("PodDisruptionBudget"), lambda pdb: PdbSelector.check_one(pdb, ctx))

    @staticmethod
    def check_one(pdb, ctx):
        selector = as_map(pdb.obj.get("spec")).get("selector")
        if not selects_every_pod(pdb) and not _pods_selected(ctx, pdb.namespace, selector):
            yield from _selects_nothing(ctx, PdbSelector.ID, pdb, selector, "spec.selector", "selector")


class StatefulSetService:
    """A StatefulSet names a headless Service in the set (`spec.serviceName`).

    The Service gives each pod its stable DNS name; without it peers cannot find each other.

    Fails:

    ```yaml
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      serviceName: db
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {containers: [{name: db, image: ghcr.io/acme/db:1.0}]}
    ```

    Passes:

    ```yaml
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      serviceName: db
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {containers: [{name: db, image: ghcr.io/acme/db:1.0}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: db}
    spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
    ```
    """

    ID = "statefulset-service"
    DESCRIPTION = "StatefulSets name an existing headless Service"
    SEVERITY = "error"
    KINDS = ("StatefulSet",)

    @staticmethod
    def check(res, ctx):
        if res.kind != "StatefulSet":
            return
        name = (res.obj.get("spec") or {}).get("serviceName")
        svc = ctx.find("Service", name, res.namespace) if name else None
        if svc is None:
            yield Finding.about(res, StatefulSetService.ID, ctx.severity, f"serviceName {name!r} names no Service in "
                                "the set", path="spec.serviceName")
        elif (svc.obj.get("spec") or {}).get("clusterIP") != "None":
            yield Finding.about(res, StatefulSetService.ID, ctx.severity, f"Service {name!r} is not headless "
                                "(clusterIP: None)", path="spec.serviceName")


class NetworkPolicy:
    """Every workload's pods are selected by a NetworkPolicy in their namespace (off in `recommended`).

    Without one, any pod in the cluster can reach them.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api, labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: api}
    spec:
      podSelector: {matchLabels: {app: api}}
      policyTypes: [Ingress]
    ```
    """

    ID = "network-policy"
    DESCRIPTION = "pods are selected by a NetworkPolicy"
    SEVERITY = "warning"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        if res.kind not in POD_OWNERS:
            return
        if ctx.selecting("NetworkPolicy", res.namespace, ctx.pod_labels(res), ("spec", "podSelector")):
            return
        for policy in ctx.in_namespace(res.namespace, "NetworkPolicy"):
            if as_map(policy.obj.get("spec")).get("podSelector") == {}:  # selects every pod of the namespace
                return
        yield Finding.about(res, NetworkPolicy.ID, ctx.severity, "no NetworkPolicy selects these pods")


class ContainerNames:
    """Container ports and env variables are unambiguous: port names unique and at most 15
    characters, port numbers unique, no env variable set twice.

    A duplicate env name silently keeps only the last value; a long port name is rejected.

    Fails:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env: [{name: MODE, value: a}, {name: MODE, value: b}]
    ```

    Passes:

    ```yaml
    apiVersion: v1
    kind: Pod
    metadata: {name: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env: [{name: MODE, value: a}]
        ports: [{name: http, containerPort: 8080}]
    ```
    """

    ID = "container-names"
    DESCRIPTION = "container port names/numbers and env names are unique"
    SEVERITY = "error"
    KINDS = WORKLOAD_KINDS

    @staticmethod
    def check(res, ctx):
        for c, path in containers(res):
            seen_env: set = set()
            for i, var in items(c.get("env")):
                name = var.get("name")
                if name in seen_env:
                    yield Finding.about(res, ContainerNames.ID, ctx.severity, f"container {c.get('name')!r} sets env "
                                        f"{name} twice", path=f"{path}.env[{i}].name")
                seen_env.add(name)
            names: set = set()
            numbers: set = set()
            for i, port in items(c.get("ports")):
                name, number = port.get("name"), (port.get("containerPort"), port.get("protocol", "TCP"))
                if name and (name in names or len(str(name)) > 15):
                    yield Finding.about(res, ContainerNames.ID, ctx.severity, f"container {c.get('name')!r}: port "
                                        f"name {name!r} is repeated or longer than 15 characters",
                                        path=f"{path}.ports[{i}].name")
                if number in numbers:
                    yield Finding.about(res, ContainerNames.ID, ctx.severity, f"container {c.get('name')!r}: port "
                                        f"{number[0]} is declared twice", path=f"{path}.ports[{i}].containerPort")
                names.add(name)
                numbers.add(number)


RULES = [ServiceSelector, ServicePorts, IngressBackend, PodReferences, WorkloadSelector, PdbSelector,
         StatefulSetService, NetworkPolicy, ContainerNames]
