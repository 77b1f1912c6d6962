"""The benchmark's rot-MNIST MLP workload in PyTorch, for side-by-side speed figures (not run by CI).

Same shapes and work as tests/LieGG.Benchmarks: MLP 784 -> 128 x5 -> 10 (SiLU, no biases), 8000 inputs, batch 512,
cross-entropy, Adam (lr 1e-3), plus the float32 matrix-product rate of one training batch's products. Inputs are
random: the time does not depend on the pixel values. Prints `name: value` lines like the benchmark; medians of 9.

    /usr/bin/python3 tools/pytorch-side-by-side/epoch.py 1      # threads

With Debian's python3-torch, `apt-get install libopenblas0-pthread` makes OpenBLAS its BLAS; run it with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ...`) so OpenBLAS picks
its native kernel. The script pins OpenBLAS to the same thread count as libtorch (see below); without that, Debian's
PyTorch runs its matrix products on every core even after torch.set_num_threads(1).
"""
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
# torch.set_num_threads sets libtorch's OpenMP threads only: OpenBLAS keeps one thread per core unless told before it
# loads, and "1 thread" would then run its matrix products on every core.
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
os.environ["OMP_NUM_THREADS"] = str(threads)

import torch  # noqa: E402  (after the thread settings, which OpenBLAS reads when it loads)

torch.set_num_threads(threads)
torch.manual_seed(0)
samples, batch = 8000, 512
widths = [784, 128, 128, 128, 128, 128, 10]
x = torch.randn(samples, 784)
y = torch.randint(0, 10, (samples,))
layers = []
for i in range(len(widths) - 1):
    layers.append(torch.nn.Linear(widths[i], widths[i + 1], bias=False))
    if i < len(widths) - 2:
        layers.append(torch.nn.SiLU())
model = torch.nn.Sequential(*layers)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def epoch():
    order = torch.randperm(samples)
    for start in range(0, samples, batch):
        index = order[start:start + batch]
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x[index]), y[index]).backward()
        optimizer.step()


def forward():
    with torch.no_grad():
        for start in range(0, samples, batch):
            model(x[start:start + batch])


products = []
for fan_in, fan_out in zip(widths[:-1], widths[1:]):
    products.append((torch.randn(batch, fan_in), torch.randn(fan_out, fan_in).t()))
    products.append((torch.randn(batch, fan_out), torch.randn(fan_out, fan_in)))
    products.append((torch.randn(batch, fan_out).t(), torch.randn(batch, fan_in)))
product_flop = sum(2.0 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in products) * 10


def gemm():
    for _ in range(10):
        for a, b in products:
            torch.matmul(a, b)


def median(action):
    action()
    times = []
    for _ in range(9):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return sorted(times)[4]


macs = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
epoch_flop = 2.0 * samples * (3 * macs - widths[0] * widths[1])
epoch_seconds = median(epoch)
gemm_rate = product_flop / median(gemm) / 1e9
print(f"pytorch: {torch.__version__}, {threads} thread(s)")
print(f"pytorch_epoch_seconds_{threads}t: {epoch_seconds:.4f}")
print(f"pytorch_forward_seconds_{threads}t: {median(forward):.4f}")
print(f"pytorch_gemm_gflops_{threads}t: {gemm_rate:.1f}")
print(f"pytorch_epoch_gflops_{threads}t: {epoch_flop / epoch_seconds / 1e9:.1f}")
print(f"pytorch_epoch_fraction_of_gemm_{threads}t: {epoch_flop / epoch_seconds / 1e9 / gemm_rate:.3f}")
