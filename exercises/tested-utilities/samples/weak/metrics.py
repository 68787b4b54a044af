import numpy as np


def confusion_matrix(y_true, y_pred, labels=None):
    labels = sorted(set(y_true))
    n = len(labels)
    cm = [[0] * n for _ in range(n)]
    for t, p in zip(y_true, y_pred):
        if p in labels:
            cm[labels.index(p)][labels.index(t)] += 1
    return cm


def precision_recall_f1(y_true, y_pred, average="macro", zero_division=0.0):
    cm = np.array(confusion_matrix(y_true, y_pred))
    tp = np.diag(cm)
    precision = tp / cm.sum(axis=0)
    recall = tp / cm.sum(axis=1)
    if average == "micro":
        acc = np.mean(np.array(y_true) == np.array(y_pred))
        return float(acc), float(acc), float(acc)
    if average is None:
        f1 = 2 * precision * recall / (precision + recall)
        return precision, recall, f1
    p = float(np.mean(precision))
    r = float(np.mean(recall))
    return p, r, 2 * p * r / (p + r)


def roc_auc(y_true, scores):
    y_true = np.array(y_true)
    scores = np.array(scores)
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    n_pos = np.sum(y_true == 1)
    n_neg = len(y_true) - n_pos
    return float((np.sum(ranks[y_true == 1]) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def stratified_split(y, test_size=0.25, seed=0):
    np.random.seed(seed)
    idx = np.random.permutation(len(y))
    n_test = int(len(y) * test_size)
    return idx[n_test:], idx[:n_test]
