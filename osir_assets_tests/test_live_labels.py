"""Rule-based labels: modality, lifecycle, Transformer-era / large-model flags, validity, explicit labels winning."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from osir_assets.sources.live import apply_labels, load_label_rules
from osir_assets.sources.live.base import snapshot_frame


def repo(kind: str, account: str, name: str, **details) -> dict:
    return {
        "account": account, "name": name, "org": None, "link": None, "downloads_last_month": 1, "total_downloads": None,
        "likes": 0, "community": 0, "descendants": 0, "dataset_usage": None, "details": json.dumps(details), "kind": kind,
    }  # fmt: skip


def snapshot(rows: list[dict]) -> pl.DataFrame:
    frames = [snapshot_frame([{k: v for k, v in r.items() if k != "kind"} for r in rows if r["kind"] == kind], "HuggingFace", kind, dt.date(2025, 2, 14)) for kind in ("model", "dataset")]
    return pl.concat(frames)


MODELS = [
    repo("model", "internlm", "internlm3-8b", pipeline_tag="text-generation", library_name="transformers", architectures=["InternLM3ForCausalLM"], model_type="internlm3", parameters=8_800_000_000),
    repo("model", "BAAI", "bge-m3", pipeline_tag="sentence-similarity", library_name="sentence-transformers", model_type="xlm-roberta", architectures=["XLMRobertaModel"]),
    repo("model", "google", "bert-base", pipeline_tag="fill-mask", library_name="transformers", model_type="bert", architectures=["BertForMaskedLM"]),
    repo("model", "OpenGVLab", "InternVL3-8B", pipeline_tag="image-text-to-text", library_name="transformers", architectures=["InternVLChatModel"]),
    repo("model", "x", "whisper-tiny", pipeline_tag="automatic-speech-recognition", library_name="transformers", model_type="whisper"),
    repo("model", "x", "resnet-50", pipeline_tag="image-classification", library_name="transformers", model_type="resnet", architectures=["ResNetForImageClassification"]),
    repo("model", "lerobot", "pi0", library_name="lerobot", tags=["robotics"]),
    repo("model", "x", "tiny-lm", pipeline_tag="text-generation", library_name="transformers", model_type="llama", parameters=135_000_000),
    repo("model", "x", "mystery", tags=["region:us"]),
]
DATASETS = [
    repo("dataset", "BAAI", "Infinity-Instruct", tags=["modality:text", "task_categories:text-generation"], task_categories=["text-generation"], siblings=["README.md", "data.parquet"]),
    repo("dataset", "opencompass", "MMBench", tags=["modality:image", "modality:text", "benchmark"], siblings=["README.md", "test.tsv"]),
    repo("dataset", "x", "UltraFeedback-dpo", tags=["modality:text"], siblings=["train.parquet"]),
    repo("dataset", "x", "CCI3-Corpus", tags=["modality:text"], siblings=["part-0.jsonl"]),
    repo("dataset", "x", "test", tags=["modality:text", "sft"], siblings=["a.json"]),
    repo("dataset", "x", "empty-sft", tags=["sft"], siblings=[".gitattributes", "README.md"]),
    repo("dataset", "x", "audio-stuff", tags=["modality:audio"], siblings=["a.wav"]),
]


def labelled(rows: list[dict], **options) -> pl.DataFrame:
    return apply_labels(snapshot(rows), **options).frame


def by_name(frame: pl.DataFrame, *columns: str) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in frame.select("name", *columns).rows()}


def test_model_rules_modality_transformer_era_and_large_model():
    result = by_name(labelled(MODELS), "modality", "is_transformer_era", "is_large_model", "label_source")
    assert result["internlm3-8b"] == ("Language", True, True, "rules")
    assert result["bge-m3"] == ("Vector", True, True, "rules")  # an embedding model counts, BERT-family or not
    assert result["bert-base"] == ("Language", True, False, "rules")  # the ranking excludes BERT and T5
    assert result["InternVL3-8B"] == ("Multimodal", True, True, "rules")
    assert result["whisper-tiny"] == ("Speech", True, True, "rules")
    assert result["resnet-50"] == ("Vision", False, False, "rules")  # convolutional: not Transformer-era
    assert result["pi0"] == ("Embodied", True, True, "rules")
    assert result["tiny-lm"] == ("Language", True, True, "rules")  # the 500M rule is off by default, as published
    assert result["mystery"] == (None, None, None, "rules")


def test_optional_parameter_threshold_for_language_models():
    rules = load_label_rules()
    rules["large_model"]["min_language_parameters"] = 500_000_000
    result = by_name(labelled(MODELS, rules=rules), "is_large_model")
    assert result["tiny-lm"] == (False,) and result["internlm3-8b"] == (True,)


def test_dataset_rules_modality_lifecycle_and_validity():
    result = by_name(labelled(DATASETS), "modality", "lifecycle", "is_valid", "is_large_model")
    assert result["Infinity-Instruct"] == ("Language", "Fine-tuning", True, None)
    assert result["MMBench"] == ("Multimodal", "Evaluation", True, None)
    assert result["UltraFeedback-dpo"] == ("Language", "Preference", True, None)
    assert result["CCI3-Corpus"] == ("Language", "Pre-training", True, None)
    assert result["test"] == ("Language", "Fine-tuning", False, None)  # a placeholder name
    assert result["empty-sft"] == (None, "Fine-tuning", False, None)  # only README and .gitattributes
    assert result["audio-stuff"] == ("Speech", None, True, None)


def test_explicit_labels_win_and_the_rest_is_listed_for_review():
    explicit = pl.DataFrame(
        {"label_key": ["x/mystery", "google/bert-base", "x/audio-stuff"], "modality": ["Protein", "Vector", None], "is_large_model": [True, True, None]}
    )
    result = apply_labels(snapshot(MODELS + DATASETS), explicit=explicit)
    table = by_name(result.frame, "label_key", "modality", "is_large_model", "label_source")
    assert table["mystery"] == ("x/mystery", "Protein", True, "explicit")
    assert table["bert-base"] == ("google/bert-base", "Vector", True, "explicit")
    assert table["audio-stuff"] == ("x/audio-stuff", None, None, "explicit")  # explicit nulls win too
    assert result.unlabelled == ["x/empty-sft"]  # no modality and not an evaluation set; the rest is covered
    assert result.frame.height == len(MODELS) + len(DATASETS)
    assert result.frame.columns[:16] == snapshot(MODELS).columns


def test_rules_can_be_a_plain_dict():
    rules = {"modality": [{"label": "Language", "name_pattern": "(?i)lm$"}], "large_model": {}}
    result = apply_labels(snapshot(MODELS), rules=rules)
    assert by_name(result.frame, "modality")["tiny-lm"] == ("Language",)
    assert "internlm/internlm3-8b" in result.unlabelled
