"""A fleet of realistic app specs for benchmarks: N apps x 3 environments.

Each app: namespace, service account, config map, deployment, service, autoscaler, disruption
budget; every third app has an ingress. About 7 resources per app and environment, so N = 1000
gives about 21,000 resources.
"""
from __future__ import annotations

import os
import sys

CONFIG = """\
kubernetesVersion: "1.33"
environments:
  dev: {}
  staging: {}
  prod: {production: true}
"""

SPEC = '''\
from gitops import App, Autoscaling, FromSecret, Ingress, Port, Probe, Resources

app = App(
    name="{name}",
    image="registry.example.com/team-{team}/{name}:1.{minor}.0",
    ports=[Port(name="http", port=8080, service_port=80), Port(name="metrics", port=9090)],
    resources=Resources(cpu="{cpu}m", memory="{memory}Mi"),
    env={{"DATABASE_URL": FromSecret(name="{name}-db", key="url"), "WORKERS": "{workers}"}},
    config={{"LOG_LEVEL": "info", "FEATURE_FLAGS": "a,b,c"}},
    readiness=Probe.http("/ready"),
    liveness=Probe.http("/healthz", period_seconds=20),
    autoscaling=Autoscaling(min_replicas=2, max_replicas={max_replicas}),
    {ingress}labels={{"team": "team-{team}"}},
    environments={{
        "prod": {{"autoscaling": {{"min_replicas": 3, "max_replicas": {prod_max}}},
                  "resources": {{"cpu": "{prod_cpu}m", "memory": "{prod_memory}Mi"}}}},
    }},
)
'''


def spec_text(i: int, minor: int = 0) -> str:
    name = f"svc-{i:05d}"
    ingress = f'ingress=Ingress(host="{name}.example.com", tls_secret="{name}-tls"),\n    ' if i % 3 == 0 else ""
    return SPEC.format(name=name, team=i % 17, minor=minor, cpu=100 + (i % 5) * 50, memory=128 + (i % 4) * 64,
                       workers=1 + i % 4, max_replicas=4 + i % 6, prod_max=10 + i % 10, prod_cpu=500,
                       prod_memory=512, ingress=ingress)


def write_fleet(root: str, n_apps: int) -> str:
    """Write gitops.yaml and apps/svc-NNNNN.py for `n_apps` apps under `root`; return root."""
    os.makedirs(os.path.join(root, "apps"), exist_ok=True)
    with open(os.path.join(root, "gitops.yaml"), "w") as fh:
        fh.write(CONFIG)
    for i in range(n_apps):
        with open(os.path.join(root, "apps", f"svc_{i:05d}.py"), "w") as fh:
            fh.write(spec_text(i))
    return root


def bump(root: str, i: int, minor: int) -> None:
    """Change one app's image tag, as a pull request would."""
    with open(os.path.join(root, "apps", f"svc_{i:05d}.py"), "w") as fh:
        fh.write(spec_text(i, minor))


if __name__ == "__main__":
    write_fleet(sys.argv[1], int(sys.argv[2]))
