"""Synthesis: a spec resolved for one environment (a Target) to Kubernetes objects, through cdk8s.

`engine` runs the builders (one module per workload kind, listed in `engine.BUILDERS`) with a cache
and worker processes; `cluster` holds the cluster profiles (a config section). Import the module
you need: this package re-exports nothing, so reading config does not load the engine.
"""
