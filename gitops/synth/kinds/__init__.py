"""The builders, one module per workload kind (the same names as `gitops/spec/kinds/`): each has
`build(k8s, chart, target)`, listed in `..engine.BUILDERS`. `base` holds what they share (metadata,
namespace, identity, Services, PDBs); pods, claims and autoscalers are built in `..pod`,
`..storage` and `..scaling`."""
