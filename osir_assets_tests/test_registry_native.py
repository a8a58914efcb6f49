"""OSIR's own registry (registry/organisations.yaml): the shipped one, both layouts through one loader, clear errors."""

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from osir_assets.errors import OsirInputError
from osir_assets.registry.derived_labels import write_derived_labels
from osir_assets.registry.native import load_native_registry
from osir_assets.registry.osir_lmts import load_osir_lmts_registry
from osir_assets.registry.resources import load_registry
from osir_assets.lib.package_files import NATIVE_REGISTRY
from osir_assets.sample import sample_archive

MINIMAL = """\
constants:
  operators: {default: 0}
  num_adapted_chips: {default: 1}
organisations:
  Alpha Lab:
    huggingface: [alpha, alpha-research]
    modelscope: [AlphaMS]
    github:
      infra: [alpha-lab/trainer]
    constants: {num_adapted_chips: 3}
  Beta AI:
    huggingface: [beta]
    opendatalab: [4242]
"""


def registry(tmp_path: Path, text: str = MINIMAL) -> Path:
    root = tmp_path / "registry"
    root.mkdir(exist_ok=True)
    (root / "organisations.yaml").write_text(text)
    return root


def fails(root: Path, *expected: str) -> str:
    with pytest.raises(OsirInputError) as error:
        load_native_registry(root)
    message = str(error.value)
    for text in expected:
        assert text in message
    return message


def test_the_shipped_registry_has_the_published_organisations_accounts_and_constants(osir_lmts_root):
    ours, published = load_registry(NATIVE_REGISTRY), load_osir_lmts_registry(osir_lmts_root)
    assert len(ours.organisations) == 32 and ours.organisations == published.organisations
    key = ["org", "platform", "account"]
    assert ours.accounts.select(key).sort(key).equals(published.accounts.select(key).sort(key))
    assert ours.constants.sort("org", "constant").equals(published.constants.sort("org", "constant"))
    assert set(ours.github_repos["purpose"]) == {"model", "infra", "eval"} and set(ours.github_repos["org"]) <= set(ours.organisations)
    latest = ours.curated_for("infra", dt.date(2030, 1, 1))
    assert latest["org"].unique(maintain_order=True).to_list() == published.curated_for("infra", dt.date(2025, 2, 1))["org"].unique(maintain_order=True).to_list()


def test_both_layouts_load_through_one_function(tmp_path):
    native, lmts = load_registry(registry(tmp_path)), load_registry(sample_archive())
    assert native.organisations == ("Alpha Lab", "Beta AI") and lmts.organisations[0] == "Sample Org 1"
    assert native.accounts.rows() == [
        ("Alpha Lab", "HuggingFace", "alpha", "https://huggingface.co/alpha"),
        ("Alpha Lab", "HuggingFace", "alpha-research", "https://huggingface.co/alpha-research"),
        ("Alpha Lab", "ModelScope", "AlphaMS", "https://modelscope.cn/organization/AlphaMS"),
        ("Beta AI", "HuggingFace", "beta", "https://huggingface.co/beta"),
        ("Beta AI", "OpenDataLab", "4242", "https://opendatalab.com/?createdBy=4242"),
    ]
    assert native.github_repos.rows() == [("Alpha Lab", "alpha-lab/trainer", "infra")]
    assert native.constants.sort("org", "constant").rows() == [
        ("Alpha Lab", "num_adapted_chips", 3.0), ("Alpha Lab", "operators", 0.0), ("Beta AI", "num_adapted_chips", 1.0), ("Beta AI", "operators", 0.0)
    ]  # fmt: skip
    assert lmts.github_repos.is_empty()
    with pytest.raises(OsirInputError, match="expected organisations.yaml or config/org-links.json"):
        load_registry(tmp_path)


def test_explicit_labels_curated_tables_and_extra_datasets(tmp_path):
    root = registry(tmp_path)
    (root / "labels").mkdir()
    (root / "labels" / "models.csv").write_text("label_key,modality,is_large_model\nalpha/a-7b,Language,true\nalpha/a-bert,Language,false\n")
    (root / "labels" / "datasets.csv").write_text("label_key,modality,lifecycle,is_valid\nbeta/set,,Evaluation,true\n")
    (root / "curated" / "2025-03").mkdir(parents=True)
    (root / "curated" / "2025-03" / "infra.csv").write_text("\ufefforg,num_operators\nBeta AI,4\nAlpha Lab,9\n")
    (root / "extra-datasets.csv").write_text("org,repo,dataset_name,link,modality,lifecycle\nAlpha Lab,alpha,corpus,https://example.org,Language,Pre-training\n")
    loaded = load_native_registry(root)
    assert loaded.model_labels.rows() == [("alpha/a-7b", "Language", True), ("alpha/a-bert", "Language", False)]
    assert loaded.dataset_labels.rows() == [("beta/set", None, "Evaluation", True)]
    infra = loaded.curated_for("infra", dt.date(2025, 6, 1))
    assert infra.select("org", "org_position", "value").rows() == [("Beta AI", 1, 4.0), ("Alpha Lab", 2, 9.0)]
    assert loaded.curated_for("infra", dt.date(2025, 2, 1)).is_empty()
    assert loaded.extra_datasets["dataset_name"].to_list() == ["corpus"]


def test_waivers_load_by_month_and_a_waiver_without_reason_is_refused(tmp_path):
    root = registry(tmp_path)
    (root / "waivers.yaml").write_text("waivers:\n  - month: 2025-03\n    rule: downloads_jump\n    repository: alpha/a-7b\n    reason: a launch month\n")
    loaded = load_native_registry(root)
    assert loaded.waivers_for(dt.date(2025, 3, 1)).select("rule", "repository", "reason").rows() == [("downloads_jump", "alpha/a-7b", "a launch month")]
    assert loaded.waivers_for(dt.date(2025, 4, 1)).is_empty()
    (root / "waivers.yaml").write_text("waivers:\n  - month: 2025-03\n    rule: downloads_jump\n")
    fails(root, "waivers.yaml", "lacks reason")


def test_derived_labels_join_the_registry_and_explicit_labels_win(tmp_path):
    root = registry(tmp_path)
    (root / "labels").mkdir()
    (root / "labels" / "models.csv").write_text("label_key,modality,is_large_model\nalpha/a-7b,Vision,true\n")
    raw = tmp_path / "raw"
    for month, modality in (("2026-10", "Speech"), ("2026-11", "Language")):
        labelled = pl.DataFrame(
            {"label_key": ["alpha/a-7b", "alpha/new"], "kind": ["model"] * 2, "modality": [modality] * 2, "lifecycle": [None, None],
             "is_large_model": [True, True], "is_valid": [None, None], "is_transformer_era": [True, True], "label_source": ["rules"] * 2},
            schema_overrides={"lifecycle": pl.String, "is_valid": pl.Boolean},
        )  # fmt: skip
        write_derived_labels(labelled, [], raw / month / "HuggingFace-model.labels.csv")
    labels = dict(load_registry(root, raw).model_labels.select("label_key", "modality").rows())
    assert labels == {"alpha/a-7b": "Vision", "alpha/new": "Language"}  # explicit wins; newest month wins
    assert load_registry(root).model_labels.height == 1  # without the folder: the registry's own labels only


def test_unknown_platform_names_the_line(tmp_path):
    text = MINIMAL.replace("    opendatalab: [4242]", "    opendatalab: [4242]\n    hugingface: [beta-two]")
    message = fails(registry(tmp_path, text), "organisations.yaml:14:", "organisation 'Beta AI': unknown platform 'hugingface'", "known: huggingface")
    assert message.startswith(str(tmp_path))


def test_duplicate_account_names_both_lines(tmp_path):
    text = MINIMAL.replace("    huggingface: [beta]", "    huggingface: [beta, alpha-research]")
    fails(registry(tmp_path, text), "organisations.yaml:12:", "huggingface account 'alpha-research' is already registered for 'Alpha Lab' on line 6")


def test_duplicate_organisation_and_repository(tmp_path):
    fails(registry(tmp_path, MINIMAL + "  Alpha Lab:\n    huggingface: [gamma]\n"), "organisations.yaml:14:", "'Alpha Lab' appears twice (first on line 5)")
    text = MINIMAL + "    github:\n      eval: [Alpha-Lab/Trainer]\n"
    fails(registry(tmp_path, text), "organisations.yaml:15:", "GitHub repository 'Alpha-Lab/Trainer' is already registered for 'Alpha Lab' on line 9")


def test_malformed_yaml_names_the_line(tmp_path):
    text = MINIMAL.replace("    modelscope: [AlphaMS]", "    modelscope: [AlphaMS")
    fails(registry(tmp_path, text), "organisations.yaml:", "malformed YAML")
    text = MINIMAL.replace("  Beta AI:", "  Beta AI\n   - oops")
    fails(registry(tmp_path, text), "organisations.yaml:13:", "malformed YAML")  # where the parser notices it


@pytest.mark.parametrize(
    "change, expected",
    [
        (("opendatalab: [4242]", "opendatalab: [beta-creator]"), "organisations.yaml:13: organisation 'Beta AI': 'beta-creator' is not a valid opendatalab account"),
        (("infra: [alpha-lab/trainer]", "infra: [trainer]"), "organisations.yaml:9: organisation 'Alpha Lab': GitHub repository 'trainer' is not 'owner/name'"),
        (("infra: [alpha-lab/trainer]", "tools: [alpha-lab/trainer]"), "organisations.yaml:9: organisation 'Alpha Lab': github: unknown purpose 'tools'"),
        (("constants: {num_adapted_chips: 3}", "constants: {num_chips: 3}"), "organisations.yaml:10: organisation 'Alpha Lab': unknown constant 'num_chips'"),
        (("constants: {num_adapted_chips: 3}", "constants: {num_adapted_chips: three}"), "organisations.yaml:10: organisation 'Alpha Lab': constant 'num_adapted_chips' must be a number"),
        (("huggingface: [beta]", "huggingface: beta"), "organisations.yaml:12: organisation 'Beta AI': huggingface must be a list"),
        (("organisations:", "orgs:"), "organisations.yaml:4: the registry: unknown key 'orgs'"),
    ],
)
def test_structural_errors_are_clear(tmp_path, change, expected):
    fails(registry(tmp_path, MINIMAL.replace(*change)), expected)


def test_curated_tables_name_registered_organisations_only(tmp_path):
    root = registry(tmp_path)
    (root / "curated" / "2025-03").mkdir(parents=True)
    (root / "curated" / "2025-03" / "eval.csv").write_text("org,num_leaderboards\nAlpha Lab,1\nGamma,2\n")
    fails(root, "eval.csv:3:", "organisation 'Gamma' is not in organisations.yaml")
    shutil.rmtree(root / "curated" / "2025-03")
    (root / "curated" / "March").mkdir()
    fails(root, "curated/March", "named by its month, YYYY-MM")


def test_label_files_are_checked(tmp_path):
    root = registry(tmp_path)
    (root / "labels").mkdir()
    (root / "labels" / "models.csv").write_text("label_key,modality,is_large_model\nalpha/a,Language,maybe\n")
    fails(root, "models.csv:2:", "column 'is_large_model' must hold Boolean values")
    (root / "labels" / "models.csv").write_text("key,modality\nalpha/a,Language\n")
    fails(root, "models.csv:1:", "missing column(s) label_key")


def test_the_sample_is_generated_on_first_use_marked_as_such_and_reused(tmp_path, monkeypatch):
    from osir_assets.sample import sample_archive

    root = sample_archive(tmp_path / "sample-test")
    assert "SAMPLE DATA: synthetic" in (root / "README.md").read_text()
    assert sorted(p.name for p in (root / "data").iterdir() if p.is_dir()) == ["2024-11-14", "2024-12-14", "2025-01-14"]
    stamp = (root / "config" / "org-links.json").stat().st_mtime_ns
    assert sample_archive(root) == root and (root / "config" / "org-links.json").stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.tmp"))  # built aside, then renamed into place
