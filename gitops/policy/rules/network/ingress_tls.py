"""Every Ingress serves TLS (`spec.tls`) (warning).

Without it, the ingress controller serves the hosts over plain HTTP: credentials and cookies
cross the network readable.

Fails:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
```

Passes:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map

ID = "ingress-tls"
TITLE = "Ingresses serve TLS"
SEVERITY = "warning"
REMEDIATION = "add spec.tls with the hosts and a certificate Secret (cert-manager can make it)"
KINDS = ("Ingress",)


def check(res, ctx):
    if not as_map(res.obj.get("spec")).get("tls"):
        yield Found(res, "the Ingress has no TLS: its hosts are served over plain HTTP", path="spec.tls")
