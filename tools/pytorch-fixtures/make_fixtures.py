"""Writes the PyTorch fixtures that tests/LieGG.Runtime.Tests check the import paths against.

    /usr/bin/python3 tools/pytorch-fixtures/make_fixtures.py tests/LieGG.Runtime.Tests/Fixtures/pytorch

Needs PyTorch only (Debian 12: apt-get install python3-torch). Writes, deterministically (seed 0):
  o5-mlp.pt                 TorchScript: the o5-regression MLP (10 -> 32 -> 32 -> 1, SiLU, no bias)
  o5-mlp.safetensors        its state dict, with the names of LieGG's Mlp (linears.0.weight, ...)
  o5-mlp-state.pt           the same state dict pickled by torch.save
  o5-mlp-expected.safetensors  inputs x [8, 10], PyTorch's outputs F(x) [8, 1] and generic-prior polarization
                            rows E [8, 25] (E[k*5 + j] = sum_v dF/dx_v[k] * x_v[j], float64 autograd)
  o5-invariant.pt           TorchScript: the exactly O(5)-invariant target function of the O(5) task
  tuple-output.pt           TorchScript whose forward returns a tuple (for the error path)
  o5-inputs.npy             200 inputs of the O(5) task, float64 [200, 10] (numpy.save)
  small-f32.npy             float32 [2, 3] = [[0, 1, 2], [3, 4, 5]] / 4 (numpy.save), and small-fortran.npy the same in Fortran order
The safetensors files are written by the small writer below (the format: 8-byte little-endian header length,
a JSON header, raw little-endian data), so no other Python package is needed.
"""
import json
import os
import struct
import sys

import torch


def save_safetensors(tensors, path):
    header, payload, offset = {}, b"", 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        dtype = {torch.float32: "F32", torch.float64: "F64"}[t.dtype]
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        payload += data
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + payload)


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linears = torch.nn.ModuleList([
            torch.nn.Linear(10, 32, bias=False), torch.nn.Linear(32, 32, bias=False), torch.nn.Linear(32, 1, bias=False)])

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        for i, linear in enumerate(self.linears):
            x = linear(x)
            if i < len(self.linears) - 1:
                x = torch.nn.functional.silu(x)
        return x


class O5Invariant(torch.nn.Module):
    def forward(self, x):
        x1, x2 = x[:, :5], x[:, 5:]
        n1, n2 = (x1 * x1).sum(dim=1).sqrt(), (x2 * x2).sum(dim=1).sqrt()
        y = torch.sin(n1) - 0.5 * n2 ** 3 + (x1 * x2).sum(dim=1) / (n1 * n2)
        return y.unsqueeze(1)


class TupleOutput(torch.nn.Module):
    def forward(self, x):
        return x, x


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    mlp = Mlp().eval()
    torch.jit.save(torch.jit.script(mlp), os.path.join(out, "o5-mlp.pt"))
    save_safetensors(mlp.state_dict(), os.path.join(out, "o5-mlp.safetensors"))
    torch.save(mlp.state_dict(), os.path.join(out, "o5-mlp-state.pt"))

    x = torch.randn(8, 10, dtype=torch.float64, requires_grad=True)
    mlp64 = Mlp().double()
    mlp64.load_state_dict({k: v.double() for k, v in mlp.state_dict().items()})
    y = mlp64(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    g, v = grad.reshape(8, 2, 5), x.detach().reshape(8, 2, 5)
    rows = torch.einsum("bck,bcj->bkj", g, v).reshape(8, 25)
    save_safetensors({"inputs": x.detach(), "outputs": y.detach(), "rows": rows}, os.path.join(out, "o5-mlp-expected.safetensors"))

    torch.jit.save(torch.jit.script(O5Invariant()), os.path.join(out, "o5-invariant.pt"))
    torch.jit.save(torch.jit.script(TupleOutput()), os.path.join(out, "tuple-output.pt"))
    import numpy
    numpy.save(os.path.join(out, "o5-inputs.npy"), torch.randn(200, 10, dtype=torch.float64, generator=torch.Generator().manual_seed(1)).numpy())
    small = (numpy.arange(6, dtype=numpy.float32) / 4).reshape(2, 3)
    numpy.save(os.path.join(out, "small-f32.npy"), small)
    numpy.save(os.path.join(out, "small-fortran.npy"), numpy.asfortranarray(small))
    print(f"wrote fixtures to {out} with PyTorch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
