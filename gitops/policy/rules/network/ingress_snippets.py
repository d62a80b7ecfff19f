"""No Ingress carries ingress-nginx `*-snippet` annotations.

`configuration-snippet`, `server-snippet`, `auth-snippet` and the like paste raw NGINX
configuration into the controller, which can read every Secret of the cluster: whoever may write
an Ingress may read them all (CVE-2021-25742, CVE-2025-1974 class). ingress-nginx disables them by
default since v1.9; use the dedicated annotations instead.

Fails:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  defaultBackend: {service: {name: web, port: {number: 80}}}
```

Passes:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  defaultBackend: {service: {name: web, port: {number: 80}}}
```
"""
from __future__ import annotations

from ....findings import Found
from ...api import as_map
from ....manifests.reader import format_path

ID = "ingress-snippets"
TITLE = "no ingress-nginx snippet annotations"
SEVERITY = "error"
REMEDIATION = "use the dedicated ingress-nginx annotations, not raw NGINX snippets"
KINDS = ("Ingress",)
PREFIX = "nginx.ingress.kubernetes.io/"


def check(res, ctx):
    for key in sorted(str(k) for k in as_map(res.metadata.get("annotations"))):
        if key.startswith(PREFIX) and key.endswith("-snippet"):
            yield Found(res, f"annotation {key} pastes raw NGINX configuration into the controller",
                        path=format_path(["metadata", "annotations", key]))
