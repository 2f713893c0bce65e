"""The reference Basic_CNN (examples/basic_cnn.py) trained in PyTorch on the CPU, for
bench/vs-pytorch.bench.ts: the same layers, Adam (lr 0.001, epsilon 1e-7), sparse categorical
cross-entropy on softmax, random 28x28x1 data, and the thread count it is given.

A benchmark helper only: the product and its tests never need Python. Protocol, one line each way:
    stdin:  "<batch> <steps>"     stdout: {"batch": B, "steps": S, "samplesPerSec": X}
It reads requests until stdin closes, so the TypeScript bench can interleave its runs with Model
Lens's. Each request trains 2 warm-up steps, then `steps` timed ones.
Usage: python3 bench/pytorch_cnn.py [--threads N]
"""
import json
import sys
import time

import torch
from torch import nn


def basic_cnn() -> nn.Module:
    # padding=1 with a 3x3 kernel is Keras's padding='same'; Linear(7*7*64) is Flatten's 3136.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.5),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.5),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10),  # softmax is inside CrossEntropyLoss
    )


def main() -> None:
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = basic_cnn()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        batch, steps = (int(v) for v in line.split())
        xs = [torch.rand(batch, 1, 28, 28) for _ in range(4)]
        ys = [torch.randint(0, 10, (batch,)) for _ in range(4)]

        def step(i: int) -> None:
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[i % 4]), ys[i % 4])
            loss.backward()
            opt.step()
            loss.item()  # Model Lens reads its loss back every step too

        for i in range(2):
            step(i)
        t0 = time.perf_counter()
        for i in range(steps):
            step(i)
        seconds = time.perf_counter() - t0
        print(json.dumps({"batch": batch, "steps": steps, "samplesPerSec": batch * steps / seconds}), flush=True)


if __name__ == "__main__":
    main()
