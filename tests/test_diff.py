"""The semantic plan: what matches, what counts as a change, renames, and where each entry comes from."""
from __future__ import annotations

import copy
import json

from gitops.diff import ABSENT, compare, render
from gitops.manifests.resource import Origin, Resource


def deployment(name="web", image="web:1.0", env_vars=None, ports=None, containers=None, app="web", env="dev",
               spec_file="apps/web.py"):
    container = {"name": "web", "image": image, "env": env_vars or [{"name": "A", "value": "1"}],
                 "ports": ports or [{"name": "http", "containerPort": 8080}]}
    obj = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": name, "namespace": f"web-{env}", "labels": {"app.kubernetes.io/name": name}},
           "spec": {"template": {"spec": {"containers": containers or [container]}}}}
    origin = Origin(file=f"generated/{env}/{app}/deployment-{name}.yaml", line=3, app=app, env=env,
                    spec_file=spec_file, spec_line=4)
    return Resource(obj, origin)


def reordered(value):
    if isinstance(value, dict):
        return {k: reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(v) for v in value]
    return value


def test_key_order_is_not_a_change():
    old = deployment()
    new = Resource(reordered(old.obj), old.origin)
    assert list(new.obj) != list(old.obj)
    plan = compare([old], [new])
    assert plan.empty and plan.unchanged == 1
    assert render.text(plan) == "No changes: 1 resources unchanged.\n"


def test_containers_env_and_ports_are_matched_by_name_not_position():
    sidecar = {"name": "proxy", "image": "proxy:1"}
    main = {"name": "web", "image": "web:1.0", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    old = deployment(containers=[main, sidecar])
    moved = copy.deepcopy(main)
    moved["env"] = [{"name": "B", "value": "2"}, {"name": "A", "value": "changed"}]
    new = deployment(containers=[sidecar, moved])
    plan = compare([old], [new])
    [change] = plan.changes
    assert change.action == "update"
    assert [(f.path, f.old, f.new) for f in change.fields] == [
        ("spec.template.spec.containers[name=web].env[name=A].value", "1", "changed")]


def test_image_bump_and_added_port_show_as_field_changes():
    old = deployment()
    new = deployment(image="web:1.1", ports=[{"name": "http", "containerPort": 8080},
                                             {"name": "metrics", "containerPort": 9090}])
    [change] = compare([old], [new]).changes
    paths = {f.path: (f.old, f.new) for f in change.fields}
    assert paths["spec.template.spec.containers[name=web].image"] == ("web:1.0", "web:1.1")
    assert paths["spec.template.spec.containers[name=web].ports[name=metrics]"] == (
        ABSENT, {"name": "metrics", "containerPort": 9090})


def test_label_keys_with_dots_are_quoted_in_paths():
    old = deployment()
    new = Resource(copy.deepcopy(old.obj), old.origin)
    new.obj["metadata"]["labels"]["app.kubernetes.io/name"] = "other"
    [change] = compare([old], [new]).changes
    assert change.fields[0].path == 'metadata.labels["app.kubernetes.io/name"]'


def test_create_delete_and_the_same_name_in_two_environments():
    dev, prod = deployment(env="dev"), deployment(env="prod")
    new_app = deployment(name="api", app="api", spec_file="apps/api.py", image="api:2")
    plan = compare([dev, prod], [dev, new_app])
    assert [(c.action, c.env, c.resource.name) for c in plan.changes] == [
        ("create", "dev", "api"), ("delete", "prod", "web")]
    assert plan.totals() == {"create": 1, "update": 0, "delete": 1, "rename": 0}
    assert plan.counts() == {"dev": {"Deployment": {"create": 1, "update": 0, "delete": 0, "rename": 0}},
                             "prod": {"Deployment": {"create": 0, "update": 0, "delete": 1, "rename": 0}}}


def test_rename_with_the_same_content_is_one_rename():
    old = deployment(name="web")
    new = deployment(name="www")  # the name also appears in a label: replaced before comparing
    [change] = compare([old], [new]).changes
    assert change.action == "rename"
    assert change.ref == "Deployment/web-dev/web → Deployment/web-dev/www"
    assert [f.path for f in change.fields] == ['metadata.labels["app.kubernetes.io/name"]']


def test_rename_with_other_changes_is_found_by_spec_file():
    old = deployment(name="web")
    new = deployment(name="www", image="web:2.0")
    [change] = compare([old], [new]).changes
    assert change.action == "rename"
    assert "spec.template.spec.containers[name=web].image" in [f.path for f in change.fields]


def test_a_new_app_and_a_deleted_one_are_not_a_rename():
    old = deployment(name="web", app="web", spec_file="apps/web.py")
    new = deployment(name="api", app="api", spec_file="apps/api.py")
    assert sorted(c.action for c in compare([old], [new]).changes) == ["create", "delete"]


def test_every_entry_names_spec_file_app_env_and_generated_file():
    plan = compare([deployment()], [deployment(image="web:2")])
    text = render.text(plan)
    assert "~ update Deployment/web-dev/web  (apps/web.py:4, app web, env dev → " \
           "generated/dev/web/deployment-web.yaml:3)" in text
    assert 'spec.template.spec.containers[name=web].image: "web:1.0" → "web:2"' in text
    assert "  dev  Deployment  0       1       0       0" in text


def test_json_plan_carries_origins_and_raw_values():
    data = json.loads(render.as_json(compare([deployment()], [deployment(image="web:2")])))
    [change] = data["changes"]
    assert change["origin"]["specFile"] == "apps/web.py" and change["origin"]["specLine"] == 4
    assert change["fields"] == [{"path": "spec.template.spec.containers[name=web].image", "old": "web:1.0",
                                 "new": "web:2", "added": False, "removed": False}]
    assert data["totals"]["update"] == 1


# ---- the data a change deletes (docs/data-safety.md) -------------------------------------------

def claim(name="checkpoints", env="prod", protected=False, size="200Gi"):
    notes = {"argocd.argoproj.io/sync-options": "Delete=false,Prune=false"} if protected else {}
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
           "metadata": {"name": name, "namespace": f"train-{env}", "annotations": notes},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}}
    return Resource(obj, Origin(file=f"generated/{env}/train/persistentvolumeclaim-{name}.yaml", app="train", env=env))


def namespace(env="prod", protected=False):
    notes = {"kustomize.toolkit.fluxcd.io/prune": "disabled"} if protected else {}
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"train-{env}", "annotations": notes}}
    return Resource(obj, Origin(file=f"generated/{env}/train/namespace-train-{env}.yaml", app="train", env=env))


def test_removing_an_app_says_which_data_goes():
    plan = compare([claim(), namespace()], [])
    text = render.text(plan)
    assert "Data this change deletes:" in text
    assert ("deletes claim PersistentVolumeClaim/train-prod/checkpoints (200Gi) in prod and the volume behind it, "
            "with its data") in text
    assert "deletes namespace train-prod in prod and everything left in it, with the claims train-prod/checkpoints" in text
    assert any(line.startswith("deletes claim") for line in json.loads(render.as_json(plan))["dataDeleted"])


def test_protected_claims_are_said_to_be_kept():
    text = render.text(compare([claim(protected=True), namespace(protected=True)], []))
    assert "is kept (protected from prune): delete it by hand" in text
    assert "namespace train-prod in prod leaves the manifests but is kept" in text


def test_renaming_a_claim_starts_empty_and_deletes_the_old_one():
    text = render.text(compare([claim("ckpt")], [claim("checkpoints")]))
    assert "renames claim PersistentVolumeClaim/train-prod/ckpt to PersistentVolumeClaim/train-prod/checkpoints" in text
    assert "the new claim starts empty" in text


def test_statefulset_claims_kept_or_deleted():
    def sts(when):
        obj = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "db-prod"},
               "spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": when},
                        "volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}
        return Resource(obj, Origin(file="generated/prod/db/statefulset-db.yaml", app="db", env="prod"))
    assert "deletes the claims of every member of StatefulSet/db-prod/db in prod (data-db-N)" in \
        render.text(compare([sts("Delete")], []))
    assert "keeps the claims of StatefulSet/db-prod/db in prod (data-db-N)" in render.text(compare([sts("Retain")], []))


def test_no_data_section_when_nothing_stateful_goes():
    assert "Data this change deletes" not in render.text(compare([deployment()], []))
