"""Nightly evaluation of the served detector on a held-out set read from an NFS share."""
from gitops import CronJob, FromSecret, Resources, Volume

detector_eval = CronJob(
    name="detector-eval",
    image="ghcr.io/acme/yolo-eval:8.3.0",
    part_of="vision",
    schedule="30 2 * * *",
    time_zone="Europe/Paris",
    command=["python", "-m", "eval"],
    args=["--endpoint", "http://object-detector.object-detector-dev.svc:8000", "--data", "/data/val"],
    resources=Resources(cpu="2", memory="4Gi"),
    env={"REPORT_BUCKET": "s3://acme-ml-reports/detector",
         "WANDB_API_KEY": FromSecret(name="wandb", key="api-key", provider="SealedSecret")},
    volumes=[
        Volume.nfs("holdout", "/data", server="nfs.ml.acme.internal", export="/datasets/coco", read_only=True),
        Volume.ephemeral("scratch", "/scratch", size="50Gi"),
    ],
    active_deadline_seconds=5400,  # a run longer than 90 minutes is stuck: the next night retries
    labels={"team": "vision"},
    environments={
        "prod": {"args": ["--endpoint", "http://object-detector.object-detector-prod.svc:8000", "--data", "/data/val"]},
    },
)
