"""4. Check: a manifest set to findings and a verdict.

`stages` runs the finding stages (schema and API-server checks from gitops/schema and
gitops/apiserver, policies from gitops/policy, the sync simulation from gitops/syncplan) the same
way on both sides of a change; `gate` is `gitops check` (drift plus findings, one verdict);
`shard` splits the work across CI runners.
"""
