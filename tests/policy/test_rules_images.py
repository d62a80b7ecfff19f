"""Image rules: every rule's failing and passing example, plus reference parsing edge cases."""
import pytest

from gitops.policy.rules.images.common import split_image

from .helpers import assert_examples, check, family


@pytest.mark.parametrize("rule_id", family("images"))
def test_examples(rule_id):
    assert_examples(rule_id)


def pod(image):
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: t}}\nspec:\n  containers: [{{name: t, image: '{image}'}}]\n"


@pytest.mark.parametrize("image,fails", [
    ("registry.local:5000/team/app", True),  # a registry port is not a tag
    ("registry.local:5000/team/app:2.0", False),
    ("app@sha256:abc", False),
    ("app:latest@sha256:abc", False),  # the digest pins it
    ("app", True),
])
def test_image_tag(image, fails):
    assert bool(check("image-tag", pod(image))) is fails


def test_split_image():
    assert split_image("r:5000/a/b:1.0@sha256:x") == ("r:5000/a/b", "1.0", "sha256:x")


def test_allowed_registries_empty_list_allows_any():
    assert check("allowed-registries", pod("docker.io/x:1"), options={"registries": []}) == []
