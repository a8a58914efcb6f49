"""Score a month as soon as all its sources are in.

A live collection (or a user in the UI) may materialise a month's platform sources on their own. Once
every source asset has the month, and one of them is newer than the month's influence scores, this
sensor requests one run of everything but the sources for that month: registry tables, staging,
merged repositories, indicators and scores. It waits while any run is queued or in progress, so a run
that is itself about to score the month is never doubled.
"""

from dagster import (
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from osir_assets.partitions import month_of, monthly_partitions

SOURCES_GROUP = "sources"
SCORED = AssetKey("influence_scores")
BUSY = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def months_to_score(instance, source_keys: list[AssetKey], scored_key: AssetKey = SCORED) -> dict[str, int]:
    """Month key -> newest source event id, for months whose sources are all in and newer than their scores.

    Event storage ids only grow, so "newer" compares them rather than clocks.
    """
    latest = [instance.get_latest_storage_id_by_partition(key, DagsterEventType.ASSET_MATERIALIZATION) for key in source_keys]
    scored = instance.get_latest_storage_id_by_partition(scored_key, DagsterEventType.ASSET_MATERIALIZATION)
    complete = set.intersection(*(set(per_month) for per_month in latest)) if latest else set()
    newest = {month: max(per_month[month] for per_month in latest) for month in complete}
    return {month: newest[month] for month in sorted(complete) if newest[month] > scored.get(month, -1)}


def build_score_when_sources_land_sensor(minimum_interval_seconds: int = 120):
    scoring_selection = AssetSelection.all() - AssetSelection.groups(SOURCES_GROUP)

    @sensor(
        name="score_when_sources_land",
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.STOPPED,
        target=scoring_selection,
        description="Scores a month (everything but the sources) once all of its source assets are materialised and newer than its scores.",
    )
    def score_when_sources_land(context: SensorEvaluationContext):
        busy = context.instance.get_runs_count(RunsFilter(statuses=BUSY))
        if busy:
            return SkipReason(f"{busy} run(s) queued or in progress; waiting for the queue to drain")
        graph = context.repository_def.asset_graph
        sources = sorted((k for k in graph.get_all_asset_keys() if graph.get(k).group_name == SOURCES_GROUP), key=lambda k: k.to_user_string())
        known = set(monthly_partitions.get_partition_keys())
        ready = {m: event for m, event in months_to_score(context.instance, sources).items() if m in known}
        if not ready:
            return SkipReason("no month has all its sources newer than its scores")
        targets = sorted(scoring_selection.resolve(graph), key=lambda k: k.to_user_string())
        context.log.info(f"scoring {', '.join(f'{month_of(m):%Y-%m}' for m in ready)}: all sources in")
        # The run key names the newest source event: a month is scored once per new source materialisation.
        return [
            RunRequest(run_key=f"score-{month}-{event}", partition_key=month, asset_selection=targets, tags={"osir/trigger": "score_when_sources_land"})
            for month, event in ready.items()
        ]

    return score_when_sources_land
