import numpy as np


def init_params(n_in, n_hidden, n_out, seed):
    np.random.seed(seed)
    return {
        "W1": np.random.randn(n_in, n_hidden) * 0.01,
        "b1": np.zeros(n_hidden),
        "W2": np.random.randn(n_hidden, n_out) * 0.01,
        "b2": np.zeros(n_out),
    }


def forward(params, X):
    h = np.tanh(X @ params["W1"] + params["b1"])
    scores = h @ params["W2"] + params["b2"]
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def loss(params, X, y):
    probs = forward(params, X)
    return float(-np.mean(np.log(probs[range(len(y)), y])))


def gradients(params, X, y):
    h = np.tanh(X @ params["W1"] + params["b1"])
    probs = forward(params, X)
    d = probs.copy()
    d[range(len(y)), y] -= 1
    d = d / len(y)
    dh = d @ params["W2"].T
    return {"W1": X.T @ dh, "b1": dh.sum(axis=0), "W2": h.T @ d, "b2": d.sum(axis=0)}


def predict(params, X):
    return np.argmax(forward(params, X), axis=1)


def train(X, y, hidden=32, lr=0.1, epochs=100, batch_size=32, val_fraction=0.2, patience=10, seed=0):
    # TODO: mini-batches, validation and early stopping
    params = init_params(X.shape[1], hidden, max(y) + 1, seed)
    losses = []
    for epoch in range(epochs):
        g = gradients(params, X, y)
        for k in params:
            params[k] = params[k] - lr * g[k]
        losses.append(loss(params, X, y))
    return params, {"train_loss": losses, "val_loss": losses}
