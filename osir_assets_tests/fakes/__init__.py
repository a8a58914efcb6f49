"""Fake platform servers for tests and benchmarks: everything runs on 127.0.0.1, nothing leaves the machine."""

from osir_assets_tests.fakes.baai_data import baai_dataset, baai_handler
from osir_assets_tests.fakes.github import FakeRepo, gh_commit, gh_release, github_handler
from osir_assets_tests.fakes.huggingface import HubData, hf_dataset, hf_model, hf_scan, hub_handler
from osir_assets_tests.fakes.modelscope import ModelScopeData, modelscope_handler, ms_dataset, ms_model
from osir_assets_tests.fakes.opendatalab import odl_dataset, opendatalab_handler
from osir_assets_tests.fakes.server import Fault, FakeRequest, FakeResponse, FakeServer, RateLimit

__all__ = [
    "FakeRepo", "FakeRequest", "FakeResponse", "FakeServer", "Fault", "HubData", "ModelScopeData", "RateLimit",
    "baai_dataset", "baai_handler", "gh_commit", "gh_release", "github_handler", "hf_dataset", "hf_model", "hf_scan", "hub_handler",
    "modelscope_handler", "ms_dataset", "ms_model", "odl_dataset", "opendatalab_handler",
]  # fmt: skip
