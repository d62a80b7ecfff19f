"""Rules for the shapes ML teams run: GPU pods, distributed training Jobs, slow-starting model
servers, batch Jobs and CronJobs. A family module: each class below is one rule (see api.py)."""
from . import (
    cronjob_concurrency,
    gpu_node_placement,
    gpu_whole_devices,
    job_deadline_and_ttl,
    startup_probe_not_delay,
    training_indexed_completion,
    training_shm_size,
)

RULES = (
    cronjob_concurrency,
    gpu_node_placement,
    gpu_whole_devices,
    job_deadline_and_ttl,
    startup_probe_not_delay,
    training_indexed_completion,
    training_shm_size,
)
