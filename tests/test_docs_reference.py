"""docs/spec-reference.md and docs/configuration.md are generated from the code: fresh, complete
(every public spec field has a description, every gitops.yaml key a line), and they follow the code
as it grows (a field or a section added elsewhere shows up without touching the generator)."""
from __future__ import annotations

import dataclasses
import re

from gitops import _SPEC_API
from gitops import config as config_mod
from gitops.docs import reference
from gitops.errors import InputError
from tests.conftest import REPO

PROBE = "zz-probe"


def test_both_references_are_up_to_date():
    for doc, render in reference.DOCS.items():
        assert (REPO / doc).read_text() == render(), f"{doc} is stale: run `python -m gitops.docs.reference` (make docs)"


def test_every_public_spec_field_has_a_description():
    missing = [f"{cls.__module__}.{cls.__name__}.{f.name}" for cls in reference.spec_classes()
               for f in reference.own_fields(cls) if not reference.describe(cls, f.name)]
    assert not missing, ("document these fields in their class docstring's `Attributes:` section (or a comment "
                         "on the field's line), then `make docs`: " + ", ".join(missing))


def test_every_public_class_and_the_fields_the_issue_named_are_in_the_reference():
    text = (REPO / reference.SPEC_DOC).read_text()
    classes = {c.__name__ for c in reference.spec_classes()}
    names = {name for name in _SPEC_API if name in classes}  # not App (Service's other name) nor functions
    assert {m for m in re.findall(r"^## (\w+)$", text, re.M)} >= names | {"Workload"}
    for cls, field in (("Probe", "timeout_seconds"), ("Resources", "cpu_limit"), ("Resources", "gpu_resource"),
                       ("CronJob", "suspend"), ("Ingress", "annotations")):
        section = text.split(f"\n## {cls}\n", 1)[1].split("\n## ", 1)[0]
        row = re.search(rf"^\| `{field}` \| .* \| (.+) \|$", section, re.M)
        assert row and len(row.group(1)) > 20, (cls, field)


def test_a_field_is_described_from_its_docstring_or_its_comment():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Part:
        """A part.

        Attributes:
            size: how big it is, in the units
                the platform uses.
        """

        size: int = 1
        colour: str = "red"  # what it looks like
        # how many there are
        count: int = 0
        hidden: bool = dataclasses.field(default=False, repr=False)

    assert reference.describe(Part, "size") == "how big it is, in the units the platform uses."
    assert reference.describe(Part, "colour") == "what it looks like"
    assert reference.describe(Part, "count") == "how many there are"
    assert [f.name for f in reference.own_fields(Part)] == ["size", "colour", "count"]
    assert reference.prose(Part) == "A part."


def _accepted_keys(parser) -> set[str]:
    """The keys a section accepts, as its unknown-key error lists them (every parser names the
    valid keys); tried as a mapping of settings, then as a mapping of named entries."""
    for value in ({PROBE: 1}, {PROBE: {PROBE: 1}}):
        try:
            parser(value, "gitops.yaml", {"section": value})
        except InputError as exc:
            message = str(exc)
            found = re.search(r"expected one of ([\w, ]+)", message)
            if PROBE in message and found:
                return {k.strip() for k in found.group(1).split(",")}
        except (TypeError, AttributeError, ValueError):
            continue
    return set()


def test_every_gitops_yaml_key_is_in_the_configuration_reference():
    text = (REPO / reference.CONFIG_DOC).read_text()
    for key in config_mod.KEYS:
        assert f"| `{key}` |" in text, key
    assert {f"paths.{k}" for k in config_mod._PATH_KEYS} <= set(config_mod.KEYS)
    sections = {m.group(1): m.group(2) for m in re.finditer(r"^### (.+?)\n(.*?)(?=^### |\Z)", text, re.M | re.S)}
    for label, table in (("", config_mod.SECTIONS), ("environments.<env>.", config_mod.ENV_SETTINGS)):
        for key, parser in table.items():
            [body] = [body for heading, body in sections.items() if f"`{label}{key}`" in heading]
            missing = sorted(k for k in _accepted_keys(parser) if not re.search(rf"\b{re.escape(k)}\b", body))
            assert not missing, (f"{label}{key}: the docstring of {parser.__module__} does not mention "
                                 f"{', '.join(missing)}")


def test_the_probe_reads_the_keys_a_section_accepts():
    from gitops.delivery import settings

    assert {"server", "name", "revision", "sync", "prune", "selfHeal"} <= _accepted_keys(settings.parse_cluster)
    assert "gpuNodeLabel" in _accepted_keys(config_mod.SECTIONS["clusters"])
