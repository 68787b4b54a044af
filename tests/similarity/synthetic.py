"""Synthetic code for similarity tests: hand-written templates, disguised copies, random code.

Everything is driven by a seeded ``random.Random``, so a generated round is the same every run.
"""

from __future__ import annotations

import io
import keyword
import random
import string
import tokenize

STARTER = '''"""Helpers for a small clustering exercise. Fill in every function below."""

from __future__ import annotations

import math


def load_points(path: str) -> list[list[float]]:
    """Read one point per line, coordinates separated by commas."""
    with open(path, encoding="utf-8") as handle:
        return [[float(value) for value in line.split(",")] for line in handle if line.strip()]
'''

KMEANS = '''
def kmeans_step(points, centroids):
    """Assign each point to its nearest centroid and recompute the centroids."""
    labels = []
    for point in points:
        best, best_distance = 0, float("inf")
        for index, centroid in enumerate(centroids):
            distance = sum((p - c) ** 2 for p, c in zip(point, centroid))
            if distance < best_distance:
                best, best_distance = index, distance
        labels.append(best)
    # Recompute each centroid as the mean of its members; keep empty clusters where they are.
    new_centroids = []
    for index, centroid in enumerate(centroids):
        members = [point for point, label in zip(points, labels) if label == index]
        if not members:
            new_centroids.append(centroid)
            continue
        new_centroids.append([sum(values) / len(members) for values in zip(*members)])
    return labels, new_centroids


def inertia(points, centroids, labels):
    """Sum of squared distances from each point to its centroid."""
    total = 0.0
    for point, label in zip(points, labels):
        total += sum((p - c) ** 2 for p, c in zip(point, centroids[label]))
    return total
'''

# KMEANS by someone hiding the copy: new names, comments and docstrings, another layout.
KMEANS_DISGUISED = """
# my own k-means implementation
def step(data, centres):
    '''One Lloyd iteration.'''
    assignment = []

    for row in data:   # find the closest centre
        closest, closest_d = 0, float('inf')
        for k, centre in enumerate(centres):
            d = sum(
                (a - b) ** 2
                for a, b in zip(row, centre)
            )
            if d < closest_d:
                closest, closest_d = k, d
        assignment.append(closest)

    updated = []
    for k, centre in enumerate(centres):
        cluster = [row for row, a in zip(data, assignment) if a == k]
        if not cluster:
            updated.append(centre)
            continue
        updated.append([sum(col) / len(cluster)
                        for col in zip(*cluster)])
    return assignment, updated



def within_ss(data, centres, assignment):
    total = 0.
    for row, a in zip(data, assignment):
        total += sum((x - y)**2 for x, y in zip(row, centres[a]))
    return total
"""

SPLIT = '''
def train_test_split(rows, labels, test_share=0.25, seed=0):
    """Shuffle rows and labels together and split them into a train and a test part."""
    if len(rows) != len(labels):
        raise ValueError("rows and labels must have the same length")
    order = list(range(len(rows)))
    generator = random.Random(seed)
    generator.shuffle(order)
    cut = int(round(len(order) * (1 - test_share)))
    train, test = order[:cut], order[cut:]
    return (
        [rows[i] for i in train],
        [rows[i] for i in test],
        [labels[i] for i in train],
        [labels[i] for i in test],
    )
'''

CONFUSION = '''
def confusion_matrix(truth, predicted, classes):
    """Count how often each true class was predicted as each class."""
    position = {label: i for i, label in enumerate(classes)}
    matrix = [[0] * len(classes) for _ in classes]
    for actual, guess in zip(truth, predicted):
        matrix[position[actual]][position[guess]] += 1
    return matrix


def precision_recall(matrix):
    """Per-class precision and recall from a confusion matrix (0.0 when undefined)."""
    scores = []
    for i, row in enumerate(matrix):
        predicted = sum(line[i] for line in matrix)
        actual = sum(row)
        precision = row[i] / predicted if predicted else 0.0
        recall = row[i] / actual if actual else 0.0
        scores.append((precision, recall))
    return scores
'''

TEMPLATES = (KMEANS, SPLIT, CONFUSION)


def identifier(rng: random.Random) -> str:
    """A fresh lowercase identifier that is not a keyword."""
    while True:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
        if not keyword.iskeyword(word):
            return word


def disguise(source: str, rng: random.Random) -> str:
    """``source`` with every identifier renamed, comments dropped and the layout changed."""
    renames: dict[str, str] = {}
    tokens = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.NAME and not keyword.iskeyword(text):
            text = renames.setdefault(text, identifier(rng))
        if tok.type != tokenize.COMMENT:
            tokens.append((tok.type, text))
    return f"# {identifier(rng)} {identifier(rng)}\n" + tokenize.untokenize(tokens)


_OPERATORS = ("+", "-", "*", "/", "//", "%", "**")
_COMPARISONS = ("<", ">", "<=", ">=", "==", "!=")
_CALLS = ("abs", "len", "max", "min", "sum", "round", "sorted")


def _expression(rng: random.Random, names: list[str], depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 2 or roll < 0.3:
        return rng.choice(names) if rng.random() < 0.6 else str(rng.randint(0, 99))
    left, right = _expression(rng, names, depth + 1), _expression(rng, names, depth + 1)
    if roll < 0.55:
        return f"{left} {rng.choice(_OPERATORS)} {right}"
    if roll < 0.7:
        return f"({left} {rng.choice(_OPERATORS)} {right})"
    if roll < 0.8:
        return f"{rng.choice(names)}[{left}]"
    if roll < 0.9:
        return f"{rng.choice(_CALLS)}({left}, {right})"
    return f"[{left} for {identifier(rng)} in {rng.choice(names)}]"


def _statement(rng: random.Random, names: list[str]) -> list[str]:
    target = rng.choice(names)
    roll = rng.random()
    if roll < 0.35:
        return [f"{target} = {_expression(rng, names)}"]
    if roll < 0.5:
        return [f"{target} {rng.choice(_OPERATORS)}= {_expression(rng, names)}"]
    if roll < 0.7:
        test = f"{_expression(rng, names)} {rng.choice(_COMPARISONS)} {_expression(rng, names)}"
        return [f"if {test}:", f"    {target} = {_expression(rng, names)}"]
    if roll < 0.85:
        loop = identifier(rng)
        body = _expression(rng, [*names, loop])
        return [f"for {loop} in {rng.choice(names)}:", f"    {target} += {body}"]
    return [f"{target}.append({_expression(rng, names)})"]


def random_program(rng: random.Random) -> str:
    """A few functions of random statements: independent work that shares no real code."""
    lines: list[str] = []
    for _ in range(rng.randint(3, 5)):
        params = [identifier(rng) for _ in range(rng.randint(1, 3))]
        lines += ["", "", f"def {identifier(rng)}({', '.join(params)}):"]
        for _ in range(rng.randint(4, 8)):
            lines += [f"    {line}" for line in _statement(rng, params)]
        lines.append(f"    return {_expression(rng, params)}")
    return "\n".join(lines) + "\n"
