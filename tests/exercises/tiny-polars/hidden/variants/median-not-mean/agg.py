"""Mean per group with polars (calibration: the median instead of the mean)."""

import polars as pl


def mean_by_group(groups: list[str], values: list[float]) -> pl.DataFrame:
    """One row per group (sorted): the group and the mean of its values."""
    frame = pl.DataFrame({"group": groups, "value": values})
    return frame.group_by("group").agg(pl.col("value").median().alias("mean")).sort("group")
