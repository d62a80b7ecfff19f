"""The value parts a spec is made of (ports, env sources, resources, probes, volumes, ingress,
autoscaling, scheduling, model weights), one module each, and `base`: what every part and kind
uses to validate itself. Import the module you need: this package re-exports nothing."""
