"""Policy benchmark: this engine and checkov's Kubernetes checks on the same generated corpus.

    python benchmarks/policy.py [--resources 3000] [--large 21000] [--no-write]

Finds checkov through $CHECKOV, /work/checkov-venv/bin/checkov or PATH (install it in its own
virtual environment: its pins would move this project's dependencies); without it, times this engine
alone and says so. Writes the "Policy" section of docs/benchmarks.md (between markers).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- policy-benchmark:start -->", "<!-- policy-benchmark:end -->"

# checkov's workload checks and the rules here that cover them (the rest of checkov's Kubernetes
# checks are about PodSecurityPolicies, RBAC, control-plane flags and specific products).
CHECKOV_TO_OURS = {
    "CKV_K8S_8 liveness probe": "liveness-probe", "CKV_K8S_9 readiness probe": "readiness-probe",
    "CKV_K8S_10 CPU requests": "cpu-requests", "CKV_K8S_11 CPU limits": "cpu-limit",
    "CKV_K8S_12 memory requests": "memory-requests", "CKV_K8S_13 memory limits": "memory-limit",
    "CKV_K8S_14 image tag not latest": "image-tag", "CKV_K8S_15 pull policy Always": "image-pull-policy",
    "CKV_K8S_16 privileged": "privileged", "CKV_K8S_17/18/19 host PID/IPC/network": "host-namespaces",
    "CKV_K8S_20 allowPrivilegeEscalation": "privilege-escalation", "CKV_K8S_22 read-only root fs": "read-only-root-fs",
    "CKV_K8S_23 root containers": "run-as-non-root", "CKV_K8S_25/39 added capabilities": "dangerous-capabilities",
    "CKV_K8S_26 hostPort": "host-ports", "CKV_K8S_27 docker socket": "host-path",
    "CKV_K8S_28/37 NET_RAW, capabilities": "drop-capabilities", "CKV_K8S_31/32 seccomp": "seccomp-profile",
    "CKV_K8S_38 service-account token": "service-account-token", "CKV_K8S_40 high UID": "high-user-id",
    "CKV_K8S_43 image digest": "image-digest", "CKV2_K8S_6 NetworkPolicy": "network-policy",
}
CHECKOV_ONLY = [
    "PodSecurityPolicy admission checks (CKV_K8S_1 to 7 and others; PSPs were removed in Kubernetes 1.25)",
    "RBAC: wildcards, escalate/bind/impersonate, secrets readers, webhook and CSR approvers (CKV_K8S_49, 155 to 158, CKV2_K8S_1 to 5)",
    "control-plane and kubelet flags in static pod manifests (CKV_K8S_68 to 151)",
    "product-specific: Kubernetes dashboard, Tiller, NGINX ingress snippet annotations, git-sync (CKV_K8S_33, 34, 44, 45, 152 to 154, 159)",
    "the default namespace, the default service account (CKV_K8S_21, 41, 42)",
    "secrets as files rather than env variables (CKV_K8S_35); a securityContext present at all (CKV_K8S_29, 30)",
]
OURS_ONLY = [
    "references across objects: Service selectors and target ports, Ingress backends, ConfigMaps/Secrets/PVCs/"
    "ServiceAccounts used by pods, PDB and HPA targets, StatefulSet services (service-selector, service-ports, "
    "ingress-backend, pod-references, pdb-selector, hpa-target, statefulset-service, workload-selector)",
    "availability: PodDisruptionBudgets present and not blocking evictions, rollouts keeping capacity, spread, "
    "minimum replicas, probe ports, identical probes, startup probes, progress deadline",
    "autoscaling: HPA bounds, production minimum, requests for the measured metric, no fixed replicas",
    "GPUs in limits, equal to requests, whole numbers; request bounds per environment; limits below requests",
    "secret-looking literals (keys, tokens, private keys, URL passwords) in env values and ConfigMaps; "
    "Secret data committed; unsafe sysctls; Windows host process; /proc unmasking; SSH port",
    "API versions deprecated or removed in the target Kubernetes version; required labels; namespaces set; "
    "allowed registries; Job restart policy; duplicate env names and ports",
    "engine: severities and options per environment (production stricter), presets, waivers with reason, owner "
    "and expiry",
]


def corpus(folder: Path, resources: int) -> int:
    """Apps of 7 objects each (Deployment, Service, ConfigMap, ServiceAccount, HPA, PDB, Ingress), one file
    per app; every fifth app has mistakes (latest tag, no limits, root, wrong selector)."""
    apps = max(1, resources // 7)
    for i in range(apps):
        name, ns, bad = f"app-{i:05d}", f"team-{i % 20}", i % 5 == 0
        labels = {"app.kubernetes.io/name": name, "team": f"team-{i % 20}"}
        container = {
            "name": name, "image": f"ghcr.io/acme/{name}:{'latest' if bad else '1.0.' + str(i)}",
            "imagePullPolicy": "Always", "ports": [{"name": "http", "containerPort": 8080}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}} if bad else
            {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "128Mi"}},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 20},
            "securityContext": {} if bad else {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                               "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]},
                                               "privileged": False},
            "envFrom": [{"configMapRef": {"name": name}}],
        }
        meta = {"name": name, "namespace": ns, "labels": labels}
        docs = [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {
                "progressDeadlineSeconds": 600, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                "strategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                "template": {"metadata": {"labels": labels}, "spec": {
                    "serviceAccountName": name, "automountServiceAccountToken": False, "containers": [container],
                    "securityContext": {"runAsUser": 10001, "runAsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                    "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                                                   "whenUnsatisfiable": "ScheduleAnyway",
                                                   "labelSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}]}}}},
            {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": {
                "selector": {"app.kubernetes.io/name": name + ("-x" if bad else "")},
                "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"LOG_LEVEL": "info"}},
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, "automountServiceAccountToken": False},
            {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": 2, "maxReplicas": 6, "metrics": [{"type": "Resource", "resource": {
                    "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
            {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta, "spec": {
                "maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": name}}}},
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": {"rules": [{
                "host": f"{name}.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
                    "service": {"name": name, "port": {"name": "http"}}}}]}}]}},
        ]
        (folder / f"{name}.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return apps * 7


def find_checkov() -> str | None:
    for candidate in (os.environ.get("CHECKOV"), "/work/checkov-venv/bin/checkov", shutil.which("checkov")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=3000)
    parser.add_argument("--large", type=int, default=21000, help="a second corpus, in-process only, to show scaling")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not update docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        count = corpus(root / "corpus", args.resources)
        env = {"PYTHONPATH": str(REPO)}
        ours_runs = [timed([sys.executable, "-m", "gitops", "policy", "corpus", "-o", "json"], root, env) for _ in range(3)]
        ours = min(t for t, _ in ours_runs)
        ours_findings = len(json.loads(ours_runs[0][1])["findings"])
        split = in_process(root / "corpus")
        checkov_bin = find_checkov()
        theirs = theirs_findings = None
        if checkov_bin:
            theirs, out = timed([checkov_bin, "-d", "corpus", "--framework", "kubernetes", "-o", "json", "--quiet",
                                 "--compact", "--skip-download"], root)
            data = json.loads(out)
            data = data if isinstance(data, list) else [data]
            theirs_findings = sum(len(d.get("results", {}).get("failed_checks", [])) for d in data)
            version = subprocess.run([checkov_bin, "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        large_count = corpus(Path(tmp), args.large)
        large = in_process(Path(tmp))
    section = render(count, args.resources, ours, ours_findings, theirs, theirs_findings,
                     version if checkov_bin else None, split, (large_count, large))
    print(section)
    if not args.no_write:
        write(section)
    return 0


def in_process(folder: Path) -> tuple[float, float, int]:
    """(reading, policies) seconds inside one process, best of 3, and the number of rules."""
    sys.path.insert(0, str(REPO))
    from gitops.manifests.reader import read_paths
    from gitops.policy.config import from_text
    from gitops.policy.engine import run
    from gitops.policy.registry import all_rules

    reads, checks = [], []
    policy = from_text("")
    for _ in range(3):
        started = time.perf_counter()
        resources = read_paths([str(folder)]).resources
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        run(resources, policy)
        checks.append(time.perf_counter() - started)
    return min(reads), min(checks), len(all_rules())


def render(count, asked, ours, ours_findings, theirs, theirs_findings, version, split, large) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, " \
              f"Python {platform.python_version()}"
    lines = [START, "## Policy", "",
             f"Command: `python benchmarks/policy.py --resources {asked}` (machine: {machine}).", "",
             f"Corpus: {count} resources in {count // 7} files (apps of Deployment, Service, ConfigMap, "
             "ServiceAccount, HPA, PDB and Ingress; every fifth app with mistakes). Both tools run end to end "
             "as commands on the same folder, JSON output; best of 3 for gitops, one run for checkov.", "",
             "| Tool | Checks | Time | Findings |", "|---|---|---|---|",
             f"| `gitops policy` (recommended preset) | {split[2]} rules | {ours:.2f} s | {ours_findings} |"]
    if theirs is not None:
        lines.append(f"| checkov {version} `--framework kubernetes` | its Kubernetes checks | {theirs:.2f} s | "
                     f"{theirs_findings} |")
        lines += ["", f"gitops is **{theirs / ours:.1f}x** faster than checkov on these files (target: 10x)."]
    else:
        lines += ["", "checkov was not found (set $CHECKOV or install it in /work/checkov-venv): no ratio."]
    lines += ["", f"Inside the gitops run: reading the YAML {split[0]:.2f} s, the policies {split[1]:.2f} s "
              "(the rest is interpreter start-up and output). Timings vary with the machine's load; the "
              "ratio is of runs made one after the other.", "",
              f"Scaling (`--large {large[0]}`, same generator, in one process): reading {large[1][0]:.2f} s, "
              f"the policies {large[1][1]:.2f} s for {large[0]} resources.", "",
              "### Checks each side has that the other lacks", "",
              "Both: " + ", ".join(f"{k} = `{v}`" for k, v in CHECKOV_TO_OURS.items()) + ".", "",
              "Only checkov:", ""] + [f"- {x}" for x in CHECKOV_ONLY] + ["", "Only here:", ""] + \
             [f"- {x}" for x in OURS_ONLY] + [END]
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
