"""Which (asset, month) pairs a change reaches, following the graph's dependencies and their month offsets.

A dependency ``child <- parent[a:b]`` means child month X reads parent months X+a..X+b, so a change to
parent month M reaches child months M-b..M-a. Without offsets a month reads the same month. Offsets
here are never positive, so a change only ever reaches its own month and later ones: a curated table
of December re-scores December, and January's delta ranks, which compare with December.
"""

from collections import defaultdict

from dagster import AssetKey, TimeWindowPartitionMapping


def _child_month_span(mapping, parent_index: int) -> range:
    if isinstance(mapping, TimeWindowPartitionMapping):
        return range(parent_index - mapping.end_offset, parent_index - mapping.start_offset + 1)
    return range(parent_index, parent_index + 1)


def downstream_by_month(asset_graph, changed: dict[AssetKey, set[str]], partition_keys: list[str]) -> dict[str, set[AssetKey]]:
    """Month key -> the assets to recompute in that month, for ``changed`` (asset -> changed month keys).

    The changed assets themselves are included. Months outside ``partition_keys`` are dropped.
    """
    index = {key: i for i, key in enumerate(partition_keys)}
    reached: set[tuple[AssetKey, int]] = {(asset, index[m]) for asset, months in changed.items() for m in months if m in index}
    frontier = list(reached)
    # A walk over the asset graph (a few hundred nodes), not over data.
    while frontier:
        asset, month = frontier.pop()
        for child in asset_graph.get(asset).child_keys:
            mapping = asset_graph.get_partition_mapping(child, asset)
            for child_month in _child_month_span(mapping, month):
                node = (child, child_month)
                if 0 <= child_month < len(partition_keys) and node not in reached:
                    reached.add(node)
                    frontier.append(node)
    by_month: dict[str, set[AssetKey]] = defaultdict(set)
    for asset, month in reached:
        by_month[partition_keys[month]].add(asset)
    return dict(sorted(by_month.items()))
