"""A wrong keyword to any spec class is a one-line spec error naming the file, line, app, the bad
keyword, the valid fields and the closest match; a missing one names what is missing (issue 17)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import gitops
from gitops.errors import SpecError
from tests.conftest import gitops_here as run_gitops, make_project


@pytest.mark.parametrize("spec,expected", [
    ('from gitops import Service, Port\n'
     'web = Service(name="web", image="nginx:1.0",\n'
     '              ports=[Port(prot=80)])\n',
     "apps/web.py:3: Port: unknown field 'prot'; did you mean 'port'? Port takes: name, port, protocol, "
     "service_port"),
    ('from gitops import Service\n'
     'web = Service(name="web", imagee="nginx:1.0")\n',
     "apps/web.py:2: app 'web': Service: unknown field 'imagee'; did you mean 'image'? Service takes: {Service}"),
    ('from gitops import Job\n'
     'job = Job(name="once", image="busybox:1.36", frobnicate=True)\n',
     "apps/web.py:2: app 'once': Job: unknown field 'frobnicate'; Job takes: {Job}"),
    ('from gitops import Service\n'
     'web = Service(name="web")\n',
     "apps/web.py:2: app 'web': Service: missing required field 'image'; Service requires: name, image"),
    ('from gitops import Service, FromSecret\n'
     'web = Service(name="web", image="nginx:1.0", service=None,\n'
     '              env={"API_TOKEN": FromSecret()})\n',
     "apps/web.py:3: FromSecret: missing required fields 'name', 'key'; FromSecret requires: name, key"),
    ('from gitops import Port\n'
     'http = Port(80)\n',
     "apps/web.py:2: Port: got 1 positional argument(s) 80; name each field, e.g. Port(port=...); "
     "Port takes: name, port, protocol, service_port"),
    ('from gitops import Service, Resources\n'
     'web = Service(name="web", image="nginx:1.0", service=None,\n'
     '              resources=Resources(cpu="1", memory="1Gi"),\n'
     '              environments={"prod": {"resources": {"cpuu": "2"}}})\n',
     "apps/web.py:2: app 'web': environments['prod'].resources: unknown field 'cpuu'; did you mean 'cpu'? "
     "Resources takes: cpu, cpu_limit, ephemeral_storage, extended, gpu, gpu_resource, memory, memory_limit"),
])
def test_a_wrong_keyword_is_a_one_line_spec_error(tmp_path: Path, spec: str, expected: str) -> None:
    root = make_project(tmp_path, {"web.py": spec})
    result = run_gitops(["synth"], root)
    assert result.returncode == 2, result.stderr
    # the long field lists of the workload kinds grow with the API: spelled out from the class
    assert result.stderr.strip() == expected.format(Service=fields_of("Service"), Job=fields_of("Job"))
    assert not (root / "generated").exists()


def fields_of(kind: str) -> str:
    return ", ".join(sorted(f.name for f in dataclasses.fields(getattr(gitops, kind)) if f.repr))


SPEC_CLASSES = [name for name in gitops.__all__ if isinstance(getattr(gitops, name, None), type)]


@pytest.mark.parametrize("name", SPEC_CLASSES)
def test_every_public_spec_class_names_an_unknown_keyword(name: str) -> None:
    cls = getattr(gitops, name)
    with pytest.raises(SpecError) as caught:
        cls(nmae="y")
    message = str(caught.value)
    assert f"{cls.__name__}: unknown field 'nmae';" in message, message
    assert " takes: " in message and message.startswith(__file__ + ":"), message
