"""The spec API: validated on construction, immutable, errors that name file, line, app, field, value."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gitops import App, Autoscaling, FromSecret, Ingress, Port, Probe, Resources, Volume
from gitops.errors import SpecError
from gitops.spec.values import normalize_cpu, normalize_memory, parse_image

THIS_FILE = Path(__file__).name


def app(**kw):
    base = dict(name="web", image="registry.example.com/web:1.0.0", ports=[8080])
    return App(**{**base, **kw})


@pytest.mark.parametrize("field,value,expect", [
    ("replicas", -1, "replicas: got -1; expected an integer from 0 to 2147483647"),
    ("replicas", 10**30, "expected an integer from 0 to 2147483647"),
    ("image", "web", "pin the image with a tag"),
    ("image", "Web:1", "expected an image reference"),
    ("name", "../etc", "expected a DNS-1123 label"),
    ("name", "Web", "expected a DNS-1123 label"),
    ("service", "NodePortz", "expected one of ClusterIP, Headless, LoadBalancer or None"),
    ("env", {"1BAD": "x"}, "variable name '1BAD' is not valid"),
    ("env", {"FLAG": True}, "write booleans and empty values as strings"),
    ("labels", {"team": "a b"}, "label value 'a b'"),
    ("max_surge", 0, "cannot both be zero"),
])
def test_bad_values_name_file_line_app_field_and_value(field, value, expect):
    with pytest.raises(SpecError) as info:
        app(**{field: value})
    text = str(info.value)
    assert expect in text
    assert f"{THIS_FILE}:" in text and "app '" in text and f"{field}" in text


def test_error_points_at_the_line_that_built_the_app():
    with pytest.raises(SpecError) as info:
        App(name="web", image="web:1", replicas="3")  # this line
    problem = info.value.problems[0]
    assert problem.file.endswith(THIS_FILE)
    assert "App(name=\"web\", image=\"web:1\", replicas=\"3\")" in Path(__file__).read_text().splitlines()[problem.line - 1]


def test_parts_are_validated_too():
    with pytest.raises(SpecError, match=r"Port\.port: got 70000; expected an integer from 1 to 65535"):
        Port(port=70000)
    with pytest.raises(SpecError, match="expected a quantity"):
        Resources(cpu="lots", memory="1Gi")
    with pytest.raises(SpecError, match="must not be below the request"):
        Resources(cpu=1, memory="1Gi", memory_limit="512Mi")
    with pytest.raises(SpecError, match="expected an absolute URL path"):
        Probe.http("healthz")
    with pytest.raises(SpecError, match="must be at least min_replicas"):
        Autoscaling(min_replicas=3, max_replicas=2)


def test_probe_port_must_name_a_declared_port():
    with pytest.raises(SpecError, match="expected the name of a declared port"):
        app(readiness=Probe.http("/ready", port="admin"))


def test_specs_are_immutable():
    a = app(env={"A": "1"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.replicas = 3
    with pytest.raises(TypeError):
        a.env["B"] = "2"


def test_quantities_and_images_are_normalized():
    assert normalize_cpu(0.5) == "500m" and normalize_cpu("1000m") == "1" and normalize_cpu(2) == "2"
    assert normalize_memory("1024Mi") == "1Gi" and normalize_memory("1.5Gi") == "1536Mi"
    assert Resources(cpu=0.25, memory="2048Mi").requests() == {"cpu": "250m", "memory": "2Gi"}
    image = parse_image("ghcr.io/acme/yolo:v8@sha256:" + "a" * 64)
    assert (image.registry, image.repository, image.tag) == ("ghcr.io", "acme/yolo", "v8")
    assert parse_image("acme/yolo:1").registry is None


def test_environment_overrides_replace_merge_and_validate():
    a = app(env={"A": "1", "B": "2"}, resources=Resources(cpu="100m", memory="128Mi"),
            environments={"prod": {"replicas": 3, "env": {"B": None, "C": "3"},
                                   "resources": {"cpu": "1", "gpu": 1}}})
    prod = a.for_environment("prod")
    assert prod.replicas == 3 and a.replicas == 1
    assert dict(prod.env) == {"A": "1", "C": "3"}
    assert prod.resources.cpu == "1" and prod.resources.memory == "128Mi" and prod.resources.gpu == 1
    assert a.for_environment("dev") == dataclasses.replace(a, environments={})


def test_bad_override_fails_at_construction_naming_environment_and_field():
    with pytest.raises(SpecError, match=r"environments\['prod'\]\.replicas: got -2"):
        app(environments={"prod": {"replicas": -2}})
    with pytest.raises(SpecError, match=r"unknown field 'replica'; did you mean 'replicas'\? overridable fields are"):
        app(environments={"prod": {"replica": 2}})
    with pytest.raises(SpecError, match=r"environments\['prod'\]\.resources\.cpu"):
        app(resources=Resources(cpu=1, memory="1Gi"), environments={"prod": {"resources": {"cpu": "x"}}})


def test_the_full_surface_builds():
    a = app(
        ports=[Port(name="http", port=8080), Port(name="grpc", port=9000)],
        env={"TOKEN": FromSecret(name="tok", key="value")},
        volumes=[Volume.config_map("cfg", "/etc/cfg"), Volume.pvc("data", "/data", claim="data-pvc")],
        ingress=Ingress(host="app.example.com", tls_secret="tls"),
        liveness=Probe.grpc(9000), startup=Probe.tcp("http"), readiness=Probe.exec("true"),
    )
    assert a.version == "1.0.0"
