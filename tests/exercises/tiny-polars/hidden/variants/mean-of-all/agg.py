"""Mean per group with polars (calibration: every group gets the overall mean)."""

import polars as pl


def mean_by_group(groups: list[str], values: list[float]) -> pl.DataFrame:
    """One row per group (sorted): the group and the mean of its values."""
    frame = pl.DataFrame({"group": groups, "value": values})
    overall = frame["value"].mean()
    return frame.select("group").unique().sort("group").with_columns(pl.lit(overall).alias("mean"))
