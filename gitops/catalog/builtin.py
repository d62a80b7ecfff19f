"""The entries of the finding ids that no policy rule or API-server table row declares: what the
manifest reader, the schema check and the waiver checks report. Plain values, cheap to import: the
validation workers stamp their findings from here."""
from __future__ import annotations

from ..findings import Finding, Found
from .entry import DOCS, Entry

VALIDATION = f"{DOCS}/validation.md#findings"
WAIVERS = f"{DOCS}/policies.md#waivers"
SYNC = f"{DOCS}/sync-plan.md"
ADMISSION = f"{DOCS}/admission.md"


def _manifest(rule_id: str, title: str, description: str, remediation: str, fails: str, passes: str,
              severity: str = "error") -> Entry:
    return Entry(rule_id, title, description, remediation, severity, VALIDATION, False, "manifest", "manifest",
                 (("Fails", fails), ("Passes", passes)))


def _schema(rule_id: str, title: str, description: str, remediation: str, fails: str, passes: str,
            severity: str = "error", waivable: bool = False) -> Entry:
    # Waivable only where the tool, not the API server, is what lacks something (a schema, a CEL
    # function): the API server refuses the rest whatever a waiver says.
    return Entry(rule_id, title, description, remediation, severity, VALIDATION, waivable, "schema", "schema",
                 (("Fails", fails), ("Passes", passes)))


def _waiver(rule_id: str, title: str, description: str, remediation: str, fails: str, passes: str,
            severity: str) -> Entry:
    return Entry(rule_id, title, description, remediation, severity, WAIVERS, False, "waiver", "waiver",
                 (("Fails", fails), ("Passes", passes)))


def _sync(rule_id: str, title: str, description: str, remediation: str, fails: str, passes: str,
          severity: str = "error") -> Entry:
    # Waivable: a sync that waits for ever is a judgement about this set that a team may accept.
    return Entry(rule_id, title, description, remediation, severity, SYNC, True, "sync", "sync",
                 (("Fails", fails), ("Passes", passes)))


def _admission(rule_id: str, title: str, description: str, remediation: str, fails: str, passes: str,
               anchor: str, severity: str = "error") -> Entry:
    # Waivable: the cluster profile is a model of the cluster, which may have what the profile does not
    # list (an add-on, a pool, a Pod Security exemption in its admission configuration).
    return Entry(rule_id, title, description, remediation, severity, f"{ADMISSION}#{anchor}", True, "admission",
                 "admission", (("Fails", fails), ("Passes", passes)))


_RESTRICTED_NS = ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels:\n"
                  "    pod-security.kubernetes.io/enforce: restricted\n---\n")
_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n"

ENTRIES: tuple[Entry, ...] = (
    _manifest("manifest-unreadable", "every manifest file can be read",
              "The file exists but could not be read (permissions, a folder where a file was expected, an I/O "
              "error). Nothing in it was checked.",
              "make the file readable by the user running gitops", "(a file without read permission)", _POD),
    _manifest("manifest-not-yaml", "every manifest file is YAML text",
              "The file is not YAML at all (binary data, prose, an encoding that is not UTF-8/16/32); it is "
              "reported once rather than once per fragment.",
              "remove the file from the manifest folder, or fix its encoding", "\x00\x01binary", _POD),
    _manifest("manifest-syntax", "every document is valid YAML",
              "A YAML syntax error, with line and column. The later documents of the file are still read.",
              "fix the YAML at the line shown (indentation, an unclosed quote or bracket)",
              "apiVersion: v1\nkind: Pod\nmetadata: {name: api\n", _POD),
    _manifest("manifest-alias-limit", "no document expands beyond 200,000 nodes through aliases",
              "A document that expands past 200,000 nodes through YAML aliases (a 'billion laughs' document), or "
              "a recursive alias, is refused without being built.",
              "write the document out without YAML aliases",
              "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]  # ... and so on", _POD),
    _manifest("manifest-duplicate-key", "no mapping has the same key twice",
              "The same key twice in one mapping. The API server silently keeps the last value, so the first "
              "one is lost. An error when validating strictly (the default), else a warning.",
              "remove one of the two entries",
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  mode: a\n  mode: b\n",
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  mode: b\n"),
    _manifest("manifest-key-not-string", "every mapping key is a string",
              "`1: x` or `true: x`: YAML reads the key as a number or a boolean, Kubernetes as the string "
              "`\"1\"` or `\"true\"`.",
              "quote the key",
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  1: one\n",
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  \"1\": one\n", severity="warning"),
    _manifest("manifest-not-object", "every document is a mapping",
              "A document that is a list, a string or a number cannot be a Kubernetes object.",
              "make the document a mapping with apiVersion, kind and metadata", "- just\n- a list\n", _POD),
    _manifest("manifest-missing-kind", "every object has an apiVersion and a kind",
              "Without apiVersion and kind there is no telling what the object is, so nothing else is checked.",
              "every Kubernetes object starts with apiVersion and kind",
              "metadata: {name: api}\nspec: {}\n", _POD),
    _manifest("manifest-skipped", "files that are not manifests are skipped, and said so",
              "A Helm chart's `templates/`, `Chart.yaml` or `values.yaml`, or a kustomize patch: an input of a "
              "build, not a manifest. It is skipped with one info line instead of being linted as a manifest.",
              "nothing to fix; render the chart or build the kustomization and check the output",
              "(charts/web/templates/deployment.yaml, a Helm template)", _POD, severity="info"),
    _schema("schema-missing", "every object has a schema",
            "No schema for this apiVersion and kind in the target Kubernetes version, nor among the imported "
            "CRDs: a typo in apiVersion or kind, or a custom resource whose CRD was not imported. Counted as "
            "*Errors* in the summary.",
            "check apiVersion and kind; for a custom resource run `gitops schemas import CRD_FILE`, "
            "or pass --ignore-missing-schemas",
            "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: api}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\n", waivable=True),
    _schema("schema-type", "every field has the type its schema gives",
            "A field of the wrong type: `expected integer, got string \"http\"`; int-or-string fields say "
            "`expected integer or string`.",
            "write the value with the type shown (quote numbers that are meant as strings)",
            "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  ports: [{port: \"http\"}]\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  ports: [{port: 80}]\n"),
    _schema("schema-required", "every required field is present",
            "A field the schema requires is missing; the path names the missing field.",
            "add the missing field",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - image: ghcr.io/acme/api:1.0\n",
            _POD),
    _schema("schema-unknown-field", "no field is unknown to the schema",
            "A field the schema does not declare, usually a typo or a wrong indentation: the API server "
            "drops it (or refuses the object with strict field validation). The hint suggests the closest "
            "known field. Reported when validating strictly (the default).",
            "fix the field's name or indentation (see the hint), or remove it",
            _POD + "    imagePullPolice: Always\n", _POD + "    imagePullPolicy: Always\n"),
    _schema("schema-enum", "every value is one the schema allows",
            "A value outside the schema's enum (mostly in CRDs: the Kubernetes schemas carry none).",
            "use one of the allowed values listed in the message",
            "(a custom resource with a value outside its CRD's enum)", _POD),
    _schema("schema-quantity", "every quantity is a valid Kubernetes quantity",
            "`\"1 core\"` is not a quantity: the bundled schemas accept any string, the API server does not.",
            "write a number with an optional unit: 500m, 2, 1.5Gi, 128Mi",
            _POD + "    resources: {requests: {cpu: 1 core}}\n", _POD + "    resources: {requests: {cpu: 500m}}\n"),
    _schema("schema-constraint", "every value meets its schema's constraints",
            "A value breaks a schema keyword such as minimum, maximum, pattern or maxLength; the message is "
            "the validator's.",
            "change the value to meet the constraint in the message",
            "(a custom resource with `replicas: -1` where its CRD says minimum 0)", _POD),
    _schema("schema-invalid", "every object satisfies its schema",
            "Any other schema failure (oneOf, not, dependencies, ...); the message is the validator's.",
            "change the object to satisfy the schema as the message says",
            "(a custom resource that matches none of its CRD's oneOf branches)", _POD),
    _schema("cel-rule", "every CRD validation rule holds",
            "A custom resource breaks one of its CRD's `x-kubernetes-validations` (CEL) rules; the message is "
            "the CRD's. The API server evaluates them on create and update.",
            "change the object so that the rule in the hint holds",
            "(a custom resource whose CRD says `self.minReplicas <= self.maxReplicas`, with min 5 and max 2)",
            "(the same resource with min 2 and max 5)"),
    _schema("cel-unsupported", "every CRD validation rule can be evaluated",
            "A CRD's `x-kubernetes-validations` rule uses a function this tool cannot evaluate (Kubernetes adds "
            "some to CEL, such as `quantity()` or `isURL()`): the rule was not checked here, the API server "
            "will check it.",
            "nothing to fix in the object; check the rule by hand or in a test cluster",
            "(a custom resource whose CRD rule calls `isURL(self.endpoint)`)",
            "(a custom resource whose CRD rules use only standard CEL)", severity="warning", waivable=True),
    _admission("pod-security", "pods meet the Pod Security level their namespace enforces",
               "Pod Security admission as the cluster runs it: every control of the baseline and restricted "
               "levels of the Pod Security Standards, as of the version the namespace's "
               "`pod-security.kubernetes.io/enforce-version` label names (else the cluster's), with upstream's "
               "exemptions (Windows pods, user namespaces). The level is the namespace's "
               "`pod-security.kubernetes.io/enforce` label, else the cluster profile's default. A workload whose "
               "template violates it is admitted, and every Pod it creates is refused.",
               "meet the level (the message names the control and the field), or deploy to a namespace whose "
               "level allows it",
               _RESTRICTED_NS + "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: ml}\nspec:\n"
               "  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n",
               _RESTRICTED_NS + "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: ml}\nspec:\n"
               "  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n"
               "  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    securityContext:\n"
               "      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n", "pod-security"),
    _admission("cluster-reference", "classes and custom resource kinds exist in the set or on the cluster",
               "Storage, ingress, gateway, priority and runtime class names, and the CRD of every custom resource, "
               "resolve against the set plus the inventory of the environment's cluster profile (gitops.yaml "
               "`clusters.<name>.inventory`; built-in data for GKE and EKS). A claim without a class on a cluster "
               "with no default class stays Pending. The message names the profile and what it has.",
               "use a class the cluster has, add the object to the set, or declare what the cluster has installed "
               "in the profile's inventory",
               "(`--cluster eks`) a PersistentVolumeClaim with `storageClassName: gp3`: EKS creates only gp2",
               "(`--cluster eks`) the same claim with a StorageClass gp3 in the set, or gp3 in the profile's "
               "inventory", "references"),
    _admission("hpa-metrics-source", "every HPA metric has a source on the cluster",
               "An autoscaling/v2 HPA metric needs a metrics API: Resource metrics metrics-server, Pods and Object "
               "metrics a custom metrics adapter, External metrics an external metrics adapter or KEDA, from the "
               "profile's add-ons or an APIService in the set. Without one the HPA never leaves its minimum.",
               "install the adapter and list it under the profile's `inventory.addons`, or scale on a metric the "
               "cluster serves",
               "(`--cluster gke`) an HPA with a `Pods` metric and no metrics-adapter add-on",
               "(the same HPA with `addons: [metrics-adapter]` in the profile's inventory)", "hpa-metrics"),
    _admission("scheduling-no-fit", "every pod fits a node shape of its cluster",
               "Each pod template (its requests including init containers, sidecars and overhead, its node "
               "selector and required node affinity, its tolerations) must fit at least one node shape of the "
               "environment's profile (its pools when listed), by allocatable cpu, memory, ephemeral storage and "
               "GPUs computed with the provider's reservation formula. The message names the nearest shape and "
               "what does not fit.",
               "lower the requests, fix the selector or tolerations, or add a pool that fits",
               "(a pool of g2-standard-48, 181.3 GiB allocatable, and a pod asking 192Gi with 4 L4 GPUs)",
               "(the same pod asking 170Gi)", "scheduling"),
    _admission("scheduling-gpu-waste", "no pod idles most of a GPU node",
               "A pod that fits only on GPU shapes, where its best fit leaves at least half the GPUs idle while the "
               "pod takes more than half the node's cpu or memory: the idle GPUs cannot be used by anyone.",
               "ask for the GPUs the node has, or add a pool of smaller GPU nodes",
               "(no pools: a pod asking 192Gi and 4 L4 fits only a g2-standard-96, 4 of its 8 L4 idle)",
               "(a pool of g2-standard-48 and the pod asking 170Gi)", "scheduling", severity="warning"),
    _sync("sync-wave-deadlock", "no sync wave waits for something a later wave creates",
          "Argo CD applies one wave at a time and waits for it to be healthy. An object that can only become "
          "healthy once a later wave's object exists (a claim that binds on first consumer, a budget whose pods "
          "come later) stops the sync for ever. An info when it depends on a storage class the tool cannot see.",
          "move the objects into waves that respect the dependency (see the hint)",
          "(a PodDisruptionBudget in wave -1 for the pods of a Deployment in wave 0)",
          "(the same budget in wave 0 or later)"),
    _sync("sync-never-healthy", "every object an Argo CD sync waits for can become healthy",
          "An object Argo CD waits for (or shows) that can never become healthy on its own, such as a paused "
          "Deployment or a budget that allows no disruption: the sync never applies the later waves (when "
          "nothing waits for it, that is `sync-stays-degraded`).",
          "fix the object so it can become healthy, or move it out of the waited-for waves",
          "(a Deployment with `paused: true` in wave -1)", "(the same Deployment without `paused`)"),
    _sync("sync-stays-degraded", "every object of an application can become healthy, even one nothing waits for",
          "An object in the last step of an Argo CD sync (nothing waits for it) that can never become healthy on "
          "its own, such as a paused Deployment or a claim no pod mounts: the sync finishes, but the application "
          "stays Progressing or Degraded, which hides the next real problem. An info when it depends on a "
          "storage class the tool cannot see.",
          "fix the object so it can become healthy, or remove it",
          "(a Deployment with `paused: true` in the last wave)", "(the same Deployment without `paused`)",
          severity="warning"),
    _sync("flux-dependency-cycle", "no cycle in Flux Kustomization dependsOn",
          "Flux applies a Kustomization only after every one it depends on is Ready: a cycle means none of "
          "them is ever applied.",
          "remove one dependsOn of the cycle",
          "(Kustomization a dependsOn b, and b dependsOn a)", "(a dependsOn b only)"),
    _sync("flux-health-never-passes", "every Flux health check can pass",
          "A Kustomization's health check names an object no manifest creates, or one that never becomes "
          "ready: the Kustomization never becomes Ready, and everything that dependsOn it waits for ever.",
          "fix spec.healthChecks, or add the object",
          "(healthChecks naming Deployment/web that no manifest creates)",
          "(healthChecks naming a Deployment of the Kustomization's path)"),
    _waiver("waiver-invalid", "every waiver annotation gives a reason",
            "A `gitops.dev/waive.<rule>` annotation with an empty value: a waiver without a reason is refused "
            "(the finding it meant to waive stays active).",
            "write why the exception is acceptable as the annotation's value",
            "metadata:\n  annotations:\n    gitops.dev/waive.image-tag: \"\"\n",
            "metadata:\n  annotations:\n    gitops.dev/waive.image-tag: \"vendor image, pinned by digest in CI\"\n",
            "error"),
    _waiver("waiver-unknown-rule", "every waiver annotation names a known rule",
            "A `gitops.dev/waive.<rule>` annotation whose rule id does not exist (a typo, or a rule removed "
            "since): it waives nothing.",
            "fix the rule id (see `gitops rules`), or remove the annotation",
            "metadata:\n  annotations:\n    gitops.dev/waive.image-tags: \"vendor image\"\n",
            "metadata:\n  annotations:\n    gitops.dev/waive.image-tag: \"vendor image\"\n", "warning"),
    _waiver("waiver-unused", "every waiver waives something",
            "A waiver (an annotation, or an entry of policies/waivers.yaml) that matched no finding in the run: "
            "the problem was fixed, or the waiver's match is wrong.",
            "remove the waiver, or fix its match",
            "(a waiver for image-tag on an object whose images are all pinned)",
            "(a waiver for image-tag on an object that runs `:latest`)", "warning"),
    _waiver("waiver-expired", "no waiver is past its expiry date",
            "An entry of policies/waivers.yaml past its `expires` date: it no longer waives, so the finding it "
            "covered is active again.",
            "fix the finding, or renew the waiver with a new date and reason",
            "waivers:\n- {rule: image-tag, match: {app: api}, reason: vendor image, owner: team-a, expires: 2020-01-31}\n",
            "waivers:\n- {rule: image-tag, match: {app: api}, reason: vendor image, owner: team-a, expires: 2099-01-31}\n",
            "warning"),
)

BY_ID = {entry.id: entry for entry in ENTRIES}


def stamp(found: Found, rule_id: str) -> Finding:
    """The finding of one of these ids at its default severity (configuration may change it later).
    Only the ids above: the stages that emit them import this module, not the whole catalog."""
    return Finding.stamp(found, rule_id, BY_ID[rule_id].severity)
