"""A deterministic corpus of real-looking manifests, valid and invalid mixed, for the benchmarks."""
from __future__ import annotations

import os

DOCS_PER_FILE = 10

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: team-{team}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
      - name: app
        image: registry.example.com/{name}:1.{team}.0
        ports:
        - name: http
          containerPort: {port}
        env:
        - name: MODE
          value: production
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /ready
            port: http
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: team-{team}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
  - name: http
    port: 80
    targetPort: http
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: team-{team}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
"""
HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: team-{team}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: {replicas}
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
"""
INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: team-{team}
spec:
  ingressClassName: nginx
  rules:
  - host: {name}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              number: 80
"""
TEMPLATES = [DEPLOYMENT, SERVICE, CONFIGMAP, HPA, INGRESS]


def document(index: int) -> str:
    """Every 20th document carries one mistake (a string port, an unknown field, a string count)."""
    fields = {"name": f"svc{index}", "team": index % 13, "replicas": 2 + index % 5, "port": 8080}
    text = TEMPLATES[index % len(TEMPLATES)].format(**fields)
    if index % 20 == 7:
        mistake = (index // 20) % 3
        if mistake == 0:
            text = text.replace("port: 80\n", "port: \"80\"\n").replace("containerPort: 8080", "containerPort: http")
        elif mistake == 1:
            text = text.replace("  namespace: ", "  namespace_: ", 1)
        else:
            text = text.replace("metadata:\n  name:", "metadata:\n  labels: [a]\n  name:", 1)
    return text


def make_corpus(root: str, resources: int) -> str:
    """`resources` documents in files of DOCS_PER_FILE; reused when already there."""
    folder = os.path.join(root, f"validate-{resources}")
    stamp = os.path.join(folder, ".complete")
    if os.path.exists(stamp):
        return folder
    os.makedirs(folder, exist_ok=True)
    for start in range(0, resources, DOCS_PER_FILE):
        docs = [document(i) for i in range(start, min(start + DOCS_PER_FILE, resources))]
        sub = os.path.join(folder, f"team-{(start // DOCS_PER_FILE) % 50:02}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"batch-{start // DOCS_PER_FILE:05}.yaml"), "w") as fh:
            fh.write("---\n".join(docs))
    open(stamp, "w").close()
    return folder


def make_single_file(root: str, resources: int) -> str:
    """The same documents as make_corpus, in one file (a streamed, split read)."""
    folder = os.path.join(root, f"validate-{resources}-one-file")
    path = os.path.join(folder, "all.yaml")
    if os.path.exists(path):
        return folder
    os.makedirs(folder, exist_ok=True)
    with open(path + ".tmp", "w") as fh:
        for index in range(resources):
            fh.write(("---\n" if index else "") + document(index))
    os.replace(path + ".tmp", path)
    return folder
