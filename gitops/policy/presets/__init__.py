"""Policy presets a `policies/policy.yaml` can extend (`extends: recommended`)."""
