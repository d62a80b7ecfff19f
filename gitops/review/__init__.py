"""5. Review: a pull request's change, seen against its base.

`gitref` synthesizes the project at the base ref (a temporary worktree); `pull_request` puts the
two sides together (the plan from gitops/diff, the drift in scope, the findings on both sides);
`delta` says which findings a change introduces, fixes and keeps.
"""
