"""The spec model users write and its loader.

- `kinds/`: the workload kinds, one module each (Service, Worker, StatefulService, ModelServer, Job,
  CronJob, TrainingJob); `workload`: what they all share.
- `parts/`: the value parts a kind holds (Port, Resources, Probe, Volume, ...) and `parts.base`, the
  validation every part and kind uses; `values`: quantities, names and image references.
- `loader`, `pool`, `loader_process`, `inputs`, `frames`: load spec files in separate processes, cached.

Spec files import these names from `gitops` itself (the public API, see gitops/__init__.py); code
inside the package imports the module it needs: this package re-exports nothing, so config can use
`spec.values` without loading the model.
"""
