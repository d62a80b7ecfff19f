"""Rules for model serving on KServe: pinned model URIs, GPU requests on GPU predictors, and canary
traffic only where a previous revision exists. One module per rule (see api.py)."""
from . import canary_needs_previous_revision, model_uri_pinned, predictor_gpu_requests

RULES = (
    canary_needs_previous_revision,
    model_uri_pinned,
    predictor_gpu_requests,
)
