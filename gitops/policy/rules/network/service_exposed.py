"""A Service is not exposed outside the cluster to everyone (on in production).

A `NodePort` Service opens its port on every node, to whatever can reach the nodes, and a
`LoadBalancer` without `loadBalancerSourceRanges` opens it to the internet. Internal load
balancers (the AWS, GCP and Azure annotations) are not exposed. Serve public traffic through an
Ingress or Gateway, or list the source ranges allowed.

Fails:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 443, targetPort: 8443}]
```

Passes:

```yaml
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector: {app: api}
  ports: [{port: 443, targetPort: 8443}]
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map

ID = "service-exposed"
TITLE = "Services are not open to everyone outside the cluster"
SEVERITY = "error"
REMEDIATION = "use an Ingress or Gateway, an internal load balancer, or set loadBalancerSourceRanges"
KINDS = ("Service",)
# Annotations that make a cloud load balancer internal (AWS, GCP, Azure, and the legacy AWS one).
INTERNAL = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-internal": None,
    "networking.gke.io/load-balancer-type": "Internal",
    "cloud.google.com/load-balancer-type": "Internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
}


def check(res, ctx):
    spec = as_map(res.obj.get("spec"))
    kind = spec.get("type")
    if kind == "NodePort":
        yield Found(res, "type NodePort opens the port on every node of the cluster", path="spec.type")
    elif kind == "LoadBalancer" and not spec.get("loadBalancerSourceRanges") and not _internal(res):
        yield Found(res, "type LoadBalancer without loadBalancerSourceRanges is open to every address",
                    path="spec.type")


def _internal(res) -> bool:
    notes = as_map(res.metadata.get("annotations"))
    return any(key in notes and (value is None or str(notes[key]).lower() == value.lower())
               for key, value in INTERNAL.items())
