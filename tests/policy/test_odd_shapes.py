"""Every rule on objects with nulls where maps or lists belong (as templating tools often leave them):
findings, never a crash, and no rule giving up on the shape."""
from gitops.policy.config import from_text
from gitops.policy.engine import run

from .helpers import resources

NULLS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ns, labels: null, annotations: null}
spec:
  replicas: 3
  selector: null
  strategy: null
  template:
    metadata: {labels: null, annotations: null}
    spec:
      securityContext: null
      volumes: null
      affinity: null
      initContainers: null
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env: null
        envFrom: null
        ports: null
        resources: {requests: null, limits: null}
        securityContext: {capabilities: null}
        readinessProbe: null
        livenessProbe: {httpGet: null}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ns}
spec: {selector: null, ports: null}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: ns}
spec: {scaleTargetRef: null, metrics: null}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: ns}
spec: {selector: null}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: ns}
spec: {rules: [{http: null}, {http: {paths: null}}], defaultBackend: null}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api, namespace: ns}
data: null
"""


def test_nulls_give_findings_not_give_ups():
    everything_on = from_text("extends: strict")
    found = run(resources(NULLS), everything_on, env="prod", production=True)
    assert found, "a Deployment with nulls everywhere breaks many rules"
    gave_up = [f"{f.rule}: {f.message}" for f in found if "could not check" in f.message]
    assert gave_up == []


SCALARS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ns, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}, matchExpressions: [x]}
  strategy: {rollingUpdate: {maxUnavailable: "x%"}}
  template:
    metadata: {labels: {app: api}}
    spec:
      securityContext: {sysctls: [x]}
      volumes: [x, {name: h, hostPath: x}]
      imagePullSecrets: [x]
      topologySpreadConstraints: [x]
      containers:
      - name: api
        image: 7
        env: [x, {name: A, valueFrom: x}]
        envFrom: [x]
        ports: [80, {containerPort: x}]
        resources: {requests: {cpu: lots, memory: []}, limits: {memory: {}, nvidia.com/gpu: half}}
        securityContext: {capabilities: {drop: x, add: x}}
        readinessProbe: x
        livenessProbe: {httpGet: {port: []}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ns}
spec: {selector: {app: api}, ports: [x, {targetPort: []}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: ns}
spec: {scaleTargetRef: {kind: Deployment, name: api}, metrics: [x], minReplicas: x, maxReplicas: []}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: ns}
spec: {selector: {matchLabels: {app: api}}, minAvailable: x}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: ns}
spec: {rules: [x, {http: {paths: [x, {backend: {service: {name: api, port: x}}}]}}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api, namespace: ns}
data: {a: [1]}
"""


def test_scalars_where_objects_belong_give_findings_not_give_ups():
    found = run(resources(SCALARS), from_text("extends: strict"), env="prod", production=True)
    gave_up = [f"{f.rule}: {f.message}" for f in found if "could not check" in f.message]
    assert gave_up == []
