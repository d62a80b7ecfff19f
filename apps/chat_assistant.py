"""A chat assistant: an open-weights LLM served by vLLM through KServe's LLMInferenceService, which
downloads the weights from Hugging Face and runs vLLM's OpenAI-compatible server. One L4 in dev
(a small model); prod shards a larger one over the four L4s of a node (tensor parallel)."""
from gitops import FromSecret, KServe, ModelServer, Port, Probe, Resources

chat_assistant = ModelServer(
    name="chat-assistant",
    image="ghcr.io/acme/vllm-openai:v0.11.0",  # vLLM's image, mirrored
    part_of="assistant",
    command=["vllm", "serve", "/mnt/models"],
    args=["--served-model-name", "chat-assistant", "--port", "8000", "--max-model-len", "8192"],
    ports=[Port(name="http", port=8000)],
    env={"HF_TOKEN": FromSecret(name="huggingface", key="token", provider="ExternalSecret")},
    resources=Resources(cpu="6", memory="24Gi", gpu=1),
    model_load_seconds=900,
    health_path="/health",
    readiness=Probe.http("/v1/models", period_seconds=5, timeout_seconds=5),
    output="kserve-llm",
    kserve=KServe(storage_uri="hf://Qwen/Qwen2.5-1.5B-Instruct"),
    labels={"team": "assistant"},
    environments={
        "prod": {
            "kserve": {"storage_uri": "hf://Qwen/Qwen2.5-32B-Instruct"},
            "args": ["--served-model-name", "chat-assistant", "--port", "8000", "--max-model-len", "16384",
                     "--tensor-parallel-size", "4"],
            # One pod per g2-standard-48 (4 L4, 192 GiB; about 181 GiB allocatable).
            "resources": {"cpu": "40", "memory": "160Gi", "gpu": 4},
            "replicas": 2,
        },
    },
)
