"""The spec model users write (`model`, `workloads`, `scheduling`, `values`) and its loader.

Spec files import these names from `gitops` itself (the public API, see gitops/__init__.py); code
inside the package imports the module it needs: this package re-exports nothing, so config can use
`spec.values` without loading the model.
"""
