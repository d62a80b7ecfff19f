"""Security rules (code and data): every rule's failing and passing example, plus edge cases."""
import pytest

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("security"))
def test_examples(rule_id):
    assert_examples(rule_id)


def pod(container_extra="", pod_extra="", env=""):
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  {pod_extra}
  initContainers: [{{name: init, image: x:1, {container_extra}}}]
  containers:
  - name: main
    image: x:1
    env: [{env}]
"""


def test_data_rules_check_init_containers():
    found = check("privileged", pod("securityContext: {privileged: true}"))
    assert [f.path for f in found] == ["spec.initContainers[0]"]
    assert "'init'" in found[0].message


def test_container_setting_overrides_pod_for_non_root():
    text = pod("securityContext: {runAsNonRoot: false}", "securityContext: {runAsNonRoot: true}")
    assert [f.path for f in check("run-as-non-root", text)] == ["spec.initContainers[0].securityContext.runAsNonRoot"]
    assert check("run-as-non-root", pod(pod_extra="securityContext: {runAsUser: 1000}")) == []
    assert check("run-as-non-root", pod(pod_extra="securityContext: {runAsNonRoot: true, runAsUser: 0}"))


@pytest.mark.parametrize("value", [
    "-----BEGIN RSA PRIVATE KEY-----",
    "postgres://app:s3cret@db:5432/app",
    "ghp_" + "a" * 36,
    "xoxb-1234567890-abcdef",
])
def test_secret_looking_literals(value):
    assert check("secret-literals", pod(env=f"{{name: X, value: '{value}'}}"))


@pytest.mark.parametrize("name,fails", [("DB_PASSWORD", True), ("API_KEY", True), ("TOKEN_TTL", False),
                                         ("PASSWORD_MIN_LENGTH", False)])
def test_secret_names_with_literal_values(name, fails):
    assert bool(check("secret-literals", pod(env=f"{{name: {name}, value: '12'}}"))) is fails


def test_configmap_content_is_scanned():
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {key: 'AKIAIOSFODNN7EXAMPLE'}\n"
    assert check("secret-literals", cm)[0].path == "data.key"


def test_explicit_token_mount_is_a_declared_need():
    assert check("service-account-token", pod(pod_extra="automountServiceAccountToken: true")) == []
    assert check("service-account-token", pod())


def test_allowed_host_paths():
    text = pod(pod_extra="volumes: [{name: logs, hostPath: {path: /var/log/app}}]")
    assert check("host-path", text)
    assert check("host-path", text, options={"allowed": ["/var/log/*"]}) == []


def test_secret_without_data_passes():
    assert check("secret-data", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\n") == []


def test_high_user_id_unset_fails():
    assert len(check("high-user-id", pod())) == 4  # user and group, both containers
