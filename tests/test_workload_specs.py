"""The workload kinds validate on construction: errors name file, line, app, field and value."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops import (Autoscaling, CronJob, FromSecret, Job, Metric, ModelServer, Resources, Scheduling, Service,
                    StatefulService, Toleration, TrainingJob, Volume, Weights, Worker)
from gitops.errors import SpecError
from gitops.spec.loader import load_file

THIS_FILE = Path(__file__).name
IMG = "ghcr.io/acme/x:1.0"


def _train(**kw):
    base = dict(name="t", image=IMG, nodes=2, gpus_per_node=4, resources=Resources(cpu="8", memory="32Gi"))
    return TrainingJob(**{**base, **kw})


@pytest.mark.parametrize("build,field,expect", [
    (lambda: Service(name="s", image=IMG, env={"HF_TOKEN": "hf_abc123"}), "env['HF_TOKEN']",
     "a credential must not be written in the spec"),
    (lambda: Service(name="s", image=IMG, env={"DB_PASSWORD": "hunter2"}), "env['DB_PASSWORD']", "FromSecret"),
    (lambda: Job(name="j", image=IMG, config={"API_KEY": "k"}), "config['API_KEY']", "keep it in a Secret"),
    (lambda: Worker(name="w", image=IMG, ports=[8080]), "ports", "a Worker has no ports"),
    (lambda: StatefulService(name="db", image=IMG, ports=[5432]), "volumes", "needs storage"),
    (lambda: StatefulService(name="db", image=IMG, ports=[5432], service="ClusterIP",
                             volumes=[Volume.pvc("d", "/d", size="1Gi")]), "service", "headless"),
    (lambda: ModelServer(name="m", image=IMG, ports=[8000], max_unavailable=1), "max_unavailable",
     "keeps every loaded replica"),
    (lambda: ModelServer(name="m", image=IMG), "service", "declare ports"),
    (lambda: ModelServer(name="m", image=IMG, ports=[8000], model_load_seconds=3), "model_load_seconds",
     "got 3; expected an integer from 10 to 7200"),
    (lambda: CronJob(name="c", image=IMG, schedule="every night"), "schedule", "five cron fields"),
    (lambda: CronJob(name="c", image=IMG, schedule="@daily", concurrency_policy="Sometimes"),
     "concurrency_policy", "Allow, Forbid or Replace"),
    (lambda: Job(name="j", image=IMG, restart_policy="Always"), "restart_policy", "Never, OnFailure"),
    (lambda: Job(name="j", image=IMG, completion_mode="Indexed", completions=None), "completions", "needs completions"),
    (lambda: Job(name="j", image=IMG, active_deadline_seconds=0), "active_deadline_seconds", "got 0"),
    (lambda: _train(shm_size="32Gi"), "shm_size", "must be smaller"),
    (lambda: _train(resources=Resources(cpu="8", memory="32Gi", gpu=2)), "resources.gpu", "gpus_per_node (4)"),
    (lambda: _train(output="slurm"), "output", "expected one of job, kubeflow, jobset"),
    (lambda: _train(env={"WORLD_SIZE": "3"}), "env", "set by the TrainingJob itself"),
    (lambda: _train(resources=None), "resources", "needs Resources"),
])
def test_invalid_kinds_name_file_line_app_field_and_value(build, field, expect):
    with pytest.raises(SpecError) as info:
        build()
    text = str(info.value)
    assert expect in text, text
    assert f"{THIS_FILE}:" in text and "app '" in text and f"{field}:" in text


@pytest.mark.parametrize("build,expect", [
    (lambda: Volume.ephemeral("s", "/s", size=None), "needs a size"),
    (lambda: Volume.nfs("n", "/n", server="nfs", export="data"), "Volume.export"),
    (lambda: Volume.empty_dir("e", "/e", provider="ExternalSecret"), "Volume.provider"),
    (lambda: Volume.pvc("p", "/p", size="1Gi", access_modes=["ReadWriteSome"]), "Volume.access_modes"),
    (lambda: FromSecret(name="s", key="k", provider="Vault"), "FromSecret.provider"),
    (lambda: Metric.external("queue", value=1, average_value=2), "exactly one of value"),
    (lambda: Metric.pods("bad name", average_value=1), "Metric.name"),
    (lambda: Autoscaling(min_replicas=1, max_replicas=2, cpu_percent=None), "needs a target"),
    (lambda: Autoscaling(min_replicas=1, max_replicas=2, scale_down_stabilization_seconds=-1),
     "scale_down_stabilization_seconds"),
    (lambda: Scheduling(anti_affinity="sometimes"), "Scheduling.anti_affinity"),
    (lambda: Toleration(key="nvidia.com/gpu", effect="Never"), "Toleration.effect"),
    (lambda: Weights.download(image="fetch", command=["x"]), "Weights.image"),
    (lambda: Weights.download(image="f:1", command=["x"], env={"HF_TOKEN": "hf_x"}), "a credential must not"),
])
def test_invalid_parts_name_the_part_and_field(build, expect):
    with pytest.raises(SpecError) as info:
        build()
    assert expect in str(info.value) and f"{THIS_FILE}:" in str(info.value)


def test_secret_words_are_matched_as_words_not_substrings():
    ok = Service(name="s", image=IMG, ports=[80], env={"TOKENIZER_PATH": "/models/tok", "SECRETARY": "x",
                                           "HF_TOKEN": FromSecret(name="hf", key="token"), "DB_PASSWORD": ""})
    assert ok.env["TOKENIZER_PATH"] == "/models/tok"


def test_a_bad_environment_override_of_a_kind_field_fails_at_construction():
    with pytest.raises(SpecError, match=r"environments\['prod'\]\.gpus_per_node: got -1"):
        _train(environments={"prod": {"gpus_per_node": -1}})
    with pytest.raises(SpecError, match=r"unknown field 'schedule'"):
        Job(name="j", image=IMG, environments={"prod": {"schedule": "@daily"}})


def test_loader_finds_every_kind(tmp_path):
    spec = tmp_path / "apps" / "all.py"
    spec.parent.mkdir()
    spec.write_text(
        "from gitops import *\n"
        "from gitops import Resources, Volume\n"
        "a = Service(name='a', image='a:1', ports=[80])\n"
        "b = Worker(name='b', image='b:1')\n"
        "c = StatefulService(name='c', image='c:1', ports=[5432], volumes=[Volume.pvc('d', '/d', size='1Gi')])\n"
        "d = ModelServer(name='d', image='d:1', ports=[8000])\n"
        "e = Job(name='e', image='e:1')\n"
        "f = CronJob(name='f', image='f:1', schedule='@hourly')\n"
        "g = TrainingJob(name='g', image='g:1', nodes=2, gpus_per_node=1, resources=Resources(cpu=1, memory='16Gi'))\n")
    loaded = load_file(str(spec), str(tmp_path))
    assert [(type(x.spec).__name__, x.line) for x in loaded] == [
        ("Service", 3), ("Worker", 4), ("StatefulService", 5), ("ModelServer", 6), ("Job", 7), ("CronJob", 8),
        ("TrainingJob", 9)]
