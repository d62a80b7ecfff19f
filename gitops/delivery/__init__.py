"""GitOps delivery: Argo CD and Flux objects that point at the generated/ folders.

`settings` parses the `delivery` section of gitops.yaml (listed in `gitops.config.SECTIONS`);
`layout` makes the delivery files and the in-app sync waves (listed in `gitops.synth.pipeline.EXTRA_FILES`
and `OBJECT_HOOKS`). Nothing registers itself on import: see docs/architecture.md, "Wiring".
"""
