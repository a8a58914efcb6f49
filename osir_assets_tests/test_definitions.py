"""The asset graph: one Definitions, every asset monthly, lineage from sources to the influence score.

The graph is snapshotted (keys, groups, dependencies with their month offsets): a change to the graph
shows up as a reviewed diff. Refresh with OSIR_UPDATE_SNAPSHOTS=1.
"""

import os
from pathlib import Path

from dagster import AssetKey, TimeWindowPartitionMapping

from osir_assets.definitions import defs
from osir_assets.partitions import monthly_partitions
from osir_assets.scoring.profile import OPTIONAL_INDICATORS

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.txt"
graph = defs.resolve_asset_graph()


def describe_graph() -> str:
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        deps = []
        for parent in sorted(node.parent_keys, key=lambda k: k.to_user_string()):
            mapping = graph.get_partition_mapping(key, parent)
            offsets = f"[{mapping.start_offset}:{mapping.end_offset}]" if isinstance(mapping, TimeWindowPartitionMapping) else ""
            deps.append(parent.to_user_string() + offsets)
        lines.append(f"{key.to_user_string()} ({node.group_name}) <- {', '.join(deps) or '-'}")
    return "\n".join(lines) + "\n"


def test_graph_matches_the_reviewed_snapshot():
    current = describe_graph()
    if os.environ.get("OSIR_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text()


def test_every_asset_is_partitioned_by_month():
    for key in graph.get_all_asset_keys():
        assert graph.get(key).partitions_def == monthly_partitions, key
    assert monthly_partitions.get_first_partition_key() == "2024-11-01"


def test_indicators_are_asset_keys_per_dimension():
    indicators = [k for k in graph.get_all_asset_keys() if k.path[0] == "indicators"]
    optional = [k for k in indicators if "/".join(k.path[1:]) in OPTIONAL_INDICATORS]  # outside the published method
    per_dimension = {d: sum(1 for k in indicators if k.path[1] == d and k not in optional) for d in ("data", "model", "infra", "eval")}
    assert per_dimension == {"data": 18, "model": 18, "infra": 12, "eval": 5}
    assert len(optional) == len(OPTIONAL_INDICATORS)


def test_lineage_runs_from_every_source_to_the_influence_score():
    upstream, frontier = set(), [AssetKey("influence_scores")]
    while frontier:
        for parent in graph.get(frontier.pop()).parent_keys - upstream:
            upstream.add(parent)
            frontier.append(parent)
    # Waivers reach the audits through the registry resource, not through a table the scores read.
    sources = {k for k in graph.get_all_asset_keys() if graph.get(k).group_name in ("sources", "registry")} - {AssetKey("registry_waivers")}
    assert sources <= upstream
    assert {AssetKey(["indicators", "data", "num_language"]), AssetKey("normalised_indicators"), AssetKey("dimension_scores")} <= upstream


def test_every_lineage_edge_is_also_an_order_of_execution():
    # A dependency that only draws the lineage (e.g. one added with map_asset_specs) lets Dagster run the
    # child first: live label tables once missed the month's derived labels that way.
    job = defs.resolve_implicit_global_asset_job_def()
    structure = job.graph.dependency_structure
    node_of = {key: graph.get(key).assets_def.node_def.name for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    lineage_only = []
    for key, node in node_of.items():
        upstream_nodes = {out.node_name for outs in structure.input_to_upstream_outputs_for_node(node).values() for out in outs}
        for parent in graph.get(key).parent_keys:
            if parent in node_of and node_of[parent] != node and node_of[parent] not in upstream_nodes:
                lineage_only.append(f"{parent.to_user_string()} -> {key.to_user_string()}")
    assert lineage_only == []


def test_loading_the_graph_leaves_the_collectors_libraries_unimported():
    """Every command and the UI's code location load the graph; only live collection needs the HTTP
    clients and look-alike scoring needs rapidfuzz, so they are imported when used (about half a second)."""
    import subprocess
    import sys

    probe = "import sys, osir_assets.definitions; print(' '.join(sorted(m for m in ('httpx', 'httpx2', 'requests', 'github', 'huggingface_hub', 'rapidfuzz') if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
