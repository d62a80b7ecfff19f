"""Schema validation: bundled Kubernetes schemas, imported CRDs, CEL rules, deprecated APIs.

Nothing is re-exported: importing one module (e.g. `scope`, which the policies use) must not load
the validator and jsonschema-rs."""
