"""The benchmark's CNN and ELLA workloads in plain PyTorch, for the `peer_*` lines of tests/LieGG.Benchmarks.

The benchmark writes a folder with the data it times, each network's weights (safetensors) and its own outputs on
a check batch; this script rebuilds every network here from the papers' definitions, loads the same weights, checks
that its outputs equal the benchmark's, then times the same work, one run per request:

    z2cnn    Cohen & Welling's Z2CNN (7 conv layers x 20 channels, batch norm, dropout): one Adam epoch, batch 128
    p4cnn    their P4CNN (p4 lifting + group convolutions, 10 channels per rotation): one Adam epoch, batch 128
    ella     a relaxed ELLA network (F-FC + CONV + p4 G-CONV per block, circular padding): one SGD epoch, batch 128,
             with the Gaussian prior's penalty
    kfac     one KFAC-Laplace hyperparameter step on that network: Kronecker factors over the data with the exact
             Fisher (one backward pass per class), eigendecompositions in float64, the negative log marginal
             likelihood per sample and 20 Adam steps on the log prior precisions with its closed-form gradient

    /usr/bin/python3 tools/pytorch-side-by-side/models.py FOLDER THREADS

Prints `check_<family>: <largest relative difference>` lines, `blas_openblas: 1` (or 0 where PyTorch's matrix products
run on the reference BLAS: install libopenblas0-pthread) and `ready`, then reads family names from standard input
and answers each with `peer_<family>_seconds: <seconds>` for one run of it, so that the benchmark can interleave the
two programs workload by workload. The thread pinning is the MLP script's (epoch.py): OpenBLAS is told before torch
loads.
"""
import json
import os
import struct
import sys
import time

folder = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
os.environ["OMP_NUM_THREADS"] = str(threads)

import torch  # noqa: E402  (after the thread settings)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32}


def load_safetensors(path):
    with open(path, "rb") as file:
        length = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(length))
        data = file.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        tensor = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[entry["dtype"]]) if end > begin else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        tensors[name] = tensor.reshape(entry["shape"])
    return tensors


# ---- Cohen & Welling (2016): Z2CNN and P4CNN ---------------------------------------------------------------------

class Z2CNN(nn.Module):
    def __init__(self, channels=20, classes=10, dropout=0.3):
        super().__init__()
        self.convolutions = nn.ModuleList([nn.Conv2d(1 if i == 0 else channels, channels, 3, bias=False) for i in range(6)]
                                          + [nn.Conv2d(channels, classes, 4)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(channels) for _ in range(6)])
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x = x.unsqueeze(1)
        for i in range(6):
            x = F.relu(self.norms[i](self.convolutions[i](x)))
            if i == 1:
                x = self.dropout(F.max_pool2d(x, 2, 2))
        return self.convolutions[6](x).flatten(1)


class P4Lifting(nn.Module):
    """[f * psi](r, x) = sum_y sum_k f_k(y) psi_k(r^-1 (y - x)): the filter rotated by r, for each of p4's rotations."""

    def __init__(self, inputs, outputs, kernel):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs, kernel, kernel))

    def forward(self, x):
        bank = torch.stack([torch.rot90(self.weight, r, (2, 3)) for r in range(4)], 1)
        out = F.conv2d(x, bank.reshape(-1, *self.weight.shape[1:]))
        return out.reshape(out.shape[0], self.weight.shape[0], 4, out.shape[2], out.shape[3])


class P4GroupConv(nn.Module):
    """[f * psi](g) = sum_h sum_k f_k(h) psi_k(g^-1 h) on p4: for output rotation r the filter turns by r in the plane
    and its input-rotation axis shifts by r."""

    def __init__(self, inputs, outputs, kernel):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs, 4, kernel, kernel))

    def forward(self, x):
        w = self.weight
        bank = torch.stack([torch.rot90(torch.roll(w, r, 2), r, (3, 4)) for r in range(4)], 1)
        out = F.conv2d(x.reshape(x.shape[0], -1, x.shape[3], x.shape[4]), bank.reshape(w.shape[0] * 4, w.shape[1] * 4, w.shape[3], w.shape[4]))
        return out.reshape(out.shape[0], w.shape[0], 4, out.shape[2], out.shape[3])


class P4BatchNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm = nn.BatchNorm3d(channels)

    def forward(self, x):
        return self.norm(x)


class P4CNN(nn.Module):
    def __init__(self, channels=10, classes=10, dropout=0.3):
        super().__init__()
        self.convolutions = nn.ModuleList([P4Lifting(1, channels, 3)] + [P4GroupConv(channels, channels, 3) for _ in range(5)]
                                          + [P4GroupConv(channels, classes, 4)])
        self.norms = nn.ModuleList([P4BatchNorm(channels) for _ in range(6)])
        self.dropout = nn.Dropout(dropout)
        self.outputBias = nn.Parameter(torch.zeros(classes))

    def forward(self, x):
        x = x.unsqueeze(1)
        for i in range(6):
            x = F.relu(self.norms[i](self.convolutions[i](x)))
            if i == 1:
                b, c, r, h, w = x.shape
                x = self.dropout(F.max_pool2d(x.reshape(b, c * r, h, w), 2, 2).reshape(b, c, r, h // 2, w // 2))
        return self.convolutions[6](x).amax(2).flatten(1) + self.outputBias


# ---- ELLA (van der Ouderaa et al. 2023): relaxed F-FC + CONV + G-CONV blocks -------------------------------------

def pad_circular(x):
    return F.pad(x, (1, 1, 1, 1), mode="circular")


class Site:
    """What KFAC sees of one linear map: its rows a (inputs) and the rows of its output, as [maps, copies, width]."""

    def __init__(self, weight, bias, input_rows, output_rows, per_copy, rotation_copies=1, copies_per_map=None, input_factor=None):
        self.weight, self.bias = weight, bias
        self.input_rows, self.output_rows = input_rows, output_rows
        self.per_copy, self.rotation_copies, self.copies_per_map = per_copy, rotation_copies, copies_per_map
        if input_factor is not None:
            self.input_factor = input_factor
        self.captured = None

    def fold(self, rows):
        return rows if self.rotation_copies == 1 else rows.reshape(rows.shape[0] // self.rotation_copies, -1, rows.shape[2])

    def input_factor(self, x):
        rows = self.fold(self.input_rows(x))
        if self.per_copy:
            per = rows.reshape(-1, self.copies_per_map, rows.shape[2]).transpose(0, 1)
            return (per.transpose(1, 2) @ per).double()
        flat = rows.reshape(-1, rows.shape[2])
        return (flat.T @ flat).double().unsqueeze(0)

    def output_factor(self, g):
        rows = self.fold(self.output_rows(g))
        flat = rows.reshape(-1, rows.shape[2])
        return (flat.T @ flat).double()


class FactoredDense(nn.Module):
    def __init__(self, cin, cout, size, stride, copies):
        super().__init__()
        self.cin, self.cout, self.positions, self.out_size = cin, cout, size * size, size // stride
        self.u = nn.Parameter(torch.empty(cout, cin * self.positions))
        self.v = nn.Parameter(torch.empty(self.out_size ** 2, cout * cin))
        self.uBias = nn.Parameter(torch.zeros(cout))
        self.vBias = nn.Parameter(torch.zeros(self.out_size ** 2))
        self.u_site = Site(lambda: self.u, lambda: self.uBias, lambda x: x, lambda y: y, True, copies, copies_per_map=cin)
        self.v_site = Site(lambda: self.v, lambda: self.vBias, lambda h: h.transpose(1, 2), lambda y: y, True, copies, copies_per_map=cout)
        self.sites = [self.u_site, self.v_site]

    def forward(self, x, capture):
        x = x.flatten(2)
        h = torch.einsum("ncs,kcs->nck", x, self.u.view(self.cout, self.cin, self.positions)) + self.uBias
        y = torch.einsum("nck,tkc->nkt", h, self.v.view(-1, self.cout, self.cin)) + self.vBias
        if capture:
            self.u_site.captured, self.v_site.captured = (x, h), (h, y)
        return y.view(x.shape[0], self.cout, self.out_size, self.out_size)


class CircularConv(nn.Module):
    def __init__(self, cin, cout, size, stride, copies):
        super().__init__()
        self.stride = stride
        self.weight = nn.Parameter(torch.empty(cout, cin, 3, 3))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.site = Site(lambda: self.weight, lambda: self.bias,
                         lambda x: F.unfold(pad_circular(x), 3, stride=self.stride).transpose(1, 2),
                         lambda y: y.flatten(2).transpose(1, 2), False, copies)
        self.sites = [self.site]

    def forward(self, x, capture):
        y = F.conv2d(pad_circular(x), self.weight, self.bias, stride=self.stride)
        if capture:
            self.site.captured = (x, y)
        return y


class P4CircularConv(nn.Module):
    """ELLA's G-CONV as a true p4 convolution: circular padding, a stride-2 block takes twice each 2x2 cell's mean."""

    def __init__(self, cin, cout, size, stride, lifting):
        super().__init__()
        self.cin, self.cout, self.stride, self.lifting = cin, cout, stride, lifting
        self.weight = nn.Parameter(torch.empty(cout, cin, 3, 3) if lifting else torch.empty(cout, cin, 4, 3, 3))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.site = Site(lambda: self.weight, lambda: self.bias, None,
                         lambda y: y.reshape(y.shape[0], self.cout, 4, -1).permute(0, 2, 3, 1).reshape(y.shape[0], -1, self.cout), False,
                         input_factor=self.input_factor)
        self.sites = [self.site]
        entries = self.weight[0].numel()
        index = torch.arange(entries).reshape(self.weight.shape[1:])
        # Output rotation r applies the weight with its entries moved by the rotation: entry j of that filter is
        # weight entry sources[r][j].
        self.sources = [self.transformed(index, r).flatten() for r in range(4)]

    def transformed(self, w, r):
        d = w.dim()
        return torch.rot90(w, r, (d - 2, d - 1)) if self.lifting else torch.rot90(torch.roll(w, r, d - 3), r, (d - 2, d - 1))

    def forward(self, x, capture):
        bank = torch.stack([self.transformed(self.weight, r) for r in range(4)], 1)
        y = F.conv2d(pad_circular(x), bank.reshape(self.cout * 4, -1, 3, 3))
        if self.stride == 2:
            y = F.avg_pool2d(y, 2) * 2
        y = y + self.bias.repeat_interleave(4).view(1, -1, 1, 1)
        if capture:
            self.site.captured = (x, y)
        return y

    def input_factor(self, x):
        # Every rotation's rows are the same patches, permuted: one Gram matrix, permuted four times.
        # At stride 2 a cell's summed patches are the patch of the input summed over each 2x2 window.
        if self.stride == 2:
            windows = x + torch.roll(x, -1, 2)
            windows = windows + torch.roll(windows, -1, 3)
            patches = F.unfold(pad_circular(windows), 3, stride=2) / 2
        else:
            patches = F.unfold(pad_circular(x), 3)
        flat = patches.transpose(1, 2).reshape(-1, patches.shape[1])
        gram = (flat.T @ flat).double()
        total = 0
        for r in range(4):
            inverse = torch.argsort(self.sources[r])
            total = total + gram[inverse][:, inverse]
        return total.unsqueeze(0)


class RelaxedBlock(nn.Module):
    def __init__(self, cin, cout, size, stride, layer, combine_sum):
        super().__init__()
        self.splits = layer > 0
        self.repeats = layer == 0
        copies = 4 if self.splits else 1
        self.pathways = nn.ModuleList([FactoredDense(cin, cout, size, stride, copies), CircularConv(cin, cout, size, stride, copies),
                                       P4CircularConv(cin, cout, size, stride, lifting=layer == 0)])
        self.combine_sum = combine_sum

    def forward(self, x, capture):
        n = x.shape[0]
        if self.splits:
            c, s = x.shape[1] // 4, x.shape[2]
            copies = x.view(n, c, 4, s, s).transpose(1, 2).reshape(n * 4, c, s, s)
        total = 0
        for pathway in self.pathways:
            if isinstance(pathway, P4CircularConv):
                y = pathway(x, capture)
            elif self.splits:
                y = pathway(copies, capture)
                c, s = y.shape[1], y.shape[2]
                y = y.view(n, 4, c, s, s).transpose(1, 2).reshape(n, c * 4, s, s)
            else:
                y = pathway(x, capture).repeat_interleave(4, 1)
            total = total + y
        return F.relu(total if self.combine_sum else total / len(self.pathways))


class Linear(nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs))
        self.bias = nn.Parameter(torch.zeros(outputs))
        self.site = Site(lambda: self.weight, lambda: self.bias, lambda a: a.unsqueeze(1), lambda y: y.unsqueeze(1), False)
        self.sites = [self.site]

    def forward(self, x, capture):
        y = F.linear(x, self.weight, self.bias)
        if capture:
            self.site.captured = (x, y)
        return y


class RelaxedNetwork(nn.Module):
    def __init__(self, canvas=16, width=4, classes=10, combine_sum=True):
        super().__init__()
        shapes = [(1, width, canvas, 1)]
        channels, size = width, canvas
        while size > 2:
            shapes.append((channels, 2 * channels, size, 2))
            channels, size = 2 * channels, size // 2
            if size > 2:
                shapes.append((channels, channels, size, 1))
        self.blocks = nn.ModuleList([RelaxedBlock(*shape, layer, combine_sum) for layer, shape in enumerate(shapes)])
        self.hidden = Linear(channels, 4 * channels)
        self.output = Linear(4 * channels, classes)
        self.sites = [s for b in self.blocks for p in b.pathways for s in p.sites] + self.hidden.sites + self.output.sites
        self.capture = False

    def forward(self, x):
        x = x.unsqueeze(1)
        for block in self.blocks:
            x = block(x, self.capture)
        pooled = x.mean((2, 3))
        pooled = pooled.reshape(pooled.shape[0], -1, 4).amax(2)
        return self.output(F.relu(self.hidden(pooled, self.capture)), self.capture)

    def penalty(self, samples):
        return 0.5 * sum(p.square().sum() for p in self.parameters()) / samples


def marginal_likelihood_step(network, inputs, labels, steps=20, learning_rate=0.1, batch=500):
    """One hyperparameter step: exact-Fisher KFAC over the data, eigenvalues, M(rho) and Adam on rho. Returns M(0)."""
    sites = network.sites
    a = [0] * len(sites)
    b = [0] * len(sites)
    nll = 0.0
    network.eval()
    network.capture = True
    for start in range(0, len(inputs), batch):
        log_p = F.log_softmax(network(inputs[start:start + batch]), 1)
        nll -= log_p.detach().gather(1, labels[start:start + batch, None]).double().sum().item()
        outputs = [s.captured[1] for s in sites]
        for i, s in enumerate(sites):
            a[i] = a[i] + s.input_factor(s.captured[0].detach())
        weights = log_p.detach().exp().sqrt()
        classes = log_p.shape[1]
        for k in range(classes):
            loss = -(weights[:, k] * log_p[:, k]).sum()
            grads = torch.autograd.grad([loss], outputs, retain_graph=k < classes - 1)
            for i, s in enumerate(sites):
                b[i] = b[i] + s.output_factor(grads[i].detach())
    network.capture = False
    samples = len(inputs)
    curvature, norms, counts = [], [], []
    for i, s in enumerate(sites):
        copies = s.fold(s.output_rows(s.captured[1].detach())).shape[1]
        b_values = torch.linalg.eigvalsh(b[i] / copies).clamp_min(0)
        a_values = torch.linalg.eigvalsh(a[i]).clamp_min(0).flatten() / samples
        for tensor, values in ((s.weight(), torch.outer(b_values, a_values).flatten()), (s.bias(), b_values * copies)):
            curvature.append(values)
            norms.append(tensor.detach().double().square().sum())
            counts.append(tensor.numel())
    norms = torch.stack(norms)
    counts = torch.tensor(counts, dtype=torch.float64)

    def objective(rho):
        delta = rho.exp()
        logdet = torch.stack([torch.log(values + d).sum() for values, d in zip(curvature, delta)])
        return (nll + 0.5 * (logdet - counts * rho + delta * norms).sum()) / samples

    def gradient(rho):
        delta = rho.exp()
        gamma = torch.stack([(values / (values + d)).sum() for values, d in zip(curvature, delta)])
        return (delta * norms - gamma) / (2 * samples)

    rho = torch.zeros(len(curvature), dtype=torch.float64)
    before = objective(rho).item()
    m = torch.zeros_like(rho)
    v = torch.zeros_like(rho)
    for step in range(1, steps + 1):
        g = gradient(rho)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        rho = rho - learning_rate * (m / (1 - 0.9 ** step)) / ((v / (1 - 0.999 ** step)).sqrt() + 1e-8)
    objective(rho)
    return before


# ---- Check, then time -------------------------------------------------------------------------------------------

def relative_difference(ours, theirs):
    return ((ours - theirs).abs().max() / theirs.abs().max().clamp_min(1e-30)).item()


def load_network(network, name):
    state = load_safetensors(os.path.join(folder, f"{name}.safetensors"))
    missing, unexpected = network.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{name}: weights do not match the network here (missing {missing}, unexpected {unexpected})")
    return network


def epoch(network, inputs, labels, optimizer, batch, penalty=None):
    network.train()
    order = torch.randperm(len(inputs))
    for start in range(0, len(inputs), batch):
        index = order[start:start + batch]
        optimizer.zero_grad()
        loss = F.cross_entropy(network(inputs[index]), labels[index])
        if penalty is not None:
            loss = loss + penalty()
        loss.backward()
        optimizer.step()


data = load_safetensors(os.path.join(folder, "data.safetensors"))
families = {}
for name, network in (("z2cnn", Z2CNN()), ("p4cnn", P4CNN())):
    load_network(network, name).eval()
    with torch.no_grad():
        print(f"check_{name}: {relative_difference(network(data['check_images']), data[f'{name}_logits']):.3g}")
    inputs, labels = data["images"], data["labels"]
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-3)
    families[name] = lambda network=network, inputs=inputs, labels=labels, optimizer=optimizer: epoch(network, inputs, labels, optimizer, 128)

ella = load_network(RelaxedNetwork(), "ella").eval()
with torch.no_grad():
    print(f"check_ella: {relative_difference(ella(data['check_canvas']), data['ella_logits']):.3g}")
kfac_inputs, kfac_labels = data["kfac_canvas"], data["kfac_labels"]
before = marginal_likelihood_step(ella, kfac_inputs, kfac_labels)
print(f"check_kfac: {abs(before - data['kfac_objective'].item()) / abs(data['kfac_objective'].item()):.3g}")
canvas, canvas_labels = data["canvas"], data["canvas_labels"]
ella_optimizer = torch.optim.SGD(ella.parameters(), lr=0.1, momentum=0.9)
families["ella"] = lambda: epoch(ella, canvas, canvas_labels, ella_optimizer, 128, lambda: ella.penalty(len(canvas)))
families["kfac"] = lambda: marginal_likelihood_step(ella, kfac_inputs, kfac_labels)


def runs_on_openblas():
    """Whether this PyTorch's matrix products run on OpenBLAS: Debian's links the system BLAS, which is the reference
    implementation (an order of magnitude slower) unless libopenblas0-pthread is installed."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        return "openblas" in maps.read()


print(f"blas_openblas: {1 if runs_on_openblas() else 0}")
print("ready", flush=True)
# Then one family name per line on standard input: that workload once, its time printed (the benchmark interleaves
# these with its own runs of the same workload); "warmup" runs each once untimed.
for line in sys.stdin:
    name = line.strip()
    if name == "warmup":
        for action in families.values():
            action()
        print("warm", flush=True)
        continue
    start = time.perf_counter()
    families[name]()
    print(f"peer_{name}_seconds: {time.perf_counter() - start:.6g}", flush=True)
