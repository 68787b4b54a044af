"""``grade exercises new --kind memo``: a written exercise that validates as it stands.

A memo runs nothing, so its package is text only: the brief, a starter memo of headings, the
reference memo, a rubric with one problem per area, one calibration variant per area (the
reference with that area answered as a junior would) and two samples. The task is small but
real (how labels arrive and how a model is shipped), so every check of `exercises validate`
runs on it before the author replaces it.
"""

from __future__ import annotations

WRITEUP = "DESIGN.md"

_TOML = """id = "{id}"
title = "{todo}: one line a candidate reads first"
kind = "memo"
version = "1"
files = ["{writeup}"]
writeup = "{writeup}"
requirements = []
starter_max = 10

[roles]                          # how much each role needs it (0-3)
production = 2
applied = 3
research = 1

[[groups]]                       # each group is an area of the answer
id = "labels"
title = "Where the labels come from and how late they arrive"

[[groups]]
id = "rollout"
title = "Shipping a new model without risking every request"

[[samples]]
path = "samples/strong"
reasoning_band = [90, 100]
quality_band = "none"

[[samples]]
path = "samples/weak"
reasoning_band = [10, 60]
quality_band = "none"

[[variants]]
path = "hidden/variants/labels-taken-as-given"
fails = ["labels"]
description = "the memo trains on every label as if it were final"

[[variants]]
path = "hidden/variants/ships-to-everyone"
fails = ["rollout"]
description = "the memo replaces the model everywhere at once"
"""

_RUBRIC = """# {todo}: one problem (or more) per area; group = the area's id in exercise.toml.
synonyms = [
    ["chargeback", "chargebacks", "dispute", "disputes"],
    ["late", "later", "delayed", "lag"],
]

[[problems]]
id = "label-delay"
group = "labels"
title = "Labels arrive late: the most recent data is not labelled yet"
question = "Chargebacks arrive weeks late: how does that change what you train on and when?"

[[problems.concepts]]
kind = "mechanism"
weight = 2
phrases = ["chargebacks arrive weeks after the payment", "labels come late",
           "recent labels are incomplete"]

[[problems.concepts]]
kind = "fix"
weight = 1
phrases = ["train only on transactions older than the window", "wait before training on them"]

[[problems]]
id = "safe-rollout"
group = "rollout"
title = "A new model runs in shadow, then as a canary, with a rollback"
question = "How would you ship a new model without risking every payment at once?"

[[problems.concepts]]
kind = "mechanism"
weight = 2
phrases = ["shadow mode scoring the same traffic without acting",
           "compare before any customer is affected"]

[[problems.concepts]]
kind = "fix"
weight = 1
phrases = ["canary on a small share of traffic", "automatic rollback to the previous model"]
"""

_LABELS = """## Labels
Fraud labels come from chargebacks, which arrive weeks after the payment, so the labels of the
most recent month are incomplete and training on them would count late fraud as legitimate.
We therefore train only on transactions older than the chargeback window.
"""
_LABELS_JUNIOR = """## Labels
We train on every transaction of the last month with the labels we have today.
"""
_ROLLOUT = """## Rollout
A new model first runs in shadow mode beside the current one, scoring the same traffic
without acting, so we can compare its alerts before any customer is affected.
Then it takes a small share of traffic as a canary, with automatic rollback to the previous
model when the alert rate or the latency moves outside its bounds.
"""
_ROLLOUT_JUNIOR = """## Rollout
When the new model is ready we replace the old one everywhere at night.
"""
_WEAK = """# Design

## Labels
We get labels from chargebacks, which come in weeks later, so recent labels are incomplete
and we wait before training on them.

## Rollout
We deploy the new model to production when its offline AUC is higher.
"""


def _memo(labels: str, rollout: str) -> str:
    return f"# Design\n\n{labels}\n{rollout}"


def memo_package_files(exercise_id: str, todo: str) -> dict[str, str]:
    """Every file of a new memo package, by path inside it (``todo`` marks what the author
    must replace)."""
    reference = _memo(_LABELS, _ROLLOUT)
    return {
        "exercise.toml": _TOML.format(id=exercise_id, todo=todo, writeup=WRITEUP),
        "brief.md": f"# {todo}: title\n\n{todo}: the situation, and what the memo must "
        f"decide. Write `{WRITEUP}`: how the labels of a fraud model arrive, and how you "
        "would ship a new model.\n",
        f"starter/{WRITEUP}": "# Design\n\n## Labels\n\n## Rollout\n",
        f"solution/{WRITEUP}": reference,
        "hidden/rubric.toml": _RUBRIC.format(todo=todo),
        f"hidden/variants/labels-taken-as-given/{WRITEUP}": _memo(_LABELS_JUNIOR, _ROLLOUT),
        f"hidden/variants/ships-to-everyone/{WRITEUP}": _memo(_LABELS, _ROLLOUT_JUNIOR),
        f"samples/strong/{WRITEUP}": reference,
        f"samples/weak/{WRITEUP}": _WEAK,
    }
