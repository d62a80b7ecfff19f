"""The workload kinds, one module each: the frozen dataclass a spec writes (`Service(...)`, `Job(...)`),
its defaults with their reasons, and its validation. What they share is `..workload.Workload`; the
value parts they hold are in `..parts`. The builder of each kind is `gitops/synth/kinds/<same name>.py`."""
