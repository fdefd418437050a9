#!/usr/bin/env python3
"""ratios.py RESULTS_TSV -> kiln vs restic per dataset and step: mean wall time, throughput ratio, RSS, repo size."""
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
acc = defaultdict(list)
for r in rows:
    try:
        acc[(r['dataset'], r['step'], r['tool'])].append((float(r['wall_s']), float(r['cpu_s']), float(r['maxrss_mb']), float(r['repo_mb'])))
    except ValueError:
        pass
def mean(xs, i):
    return sum(x[i] for x in xs) / len(xs)
print('| dataset | step | kiln wall s | restic wall s | speed kiln/restic | kiln CPU s | restic CPU s | kiln RSS MB | restic RSS MB | kiln repo MB | restic repo MB |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
for ds in sorted({k[0] for k in acc}):
    for step in ['init', 'backup1', 'backup2', 'backup3', 'restore', 'check']:
        k, r = acc.get((ds, step, 'kiln')), acc.get((ds, step, 'restic'))
        if not k or not r:
            continue
        kw, rw = mean(k, 0), mean(r, 0)
        print(f'| {ds} | {step} | {kw:.2f} | {rw:.2f} | {rw / kw:.2f}x | {mean(k, 1):.1f} | {mean(r, 1):.1f} | '
              f'{mean(k, 2):.0f} | {mean(r, 2):.0f} | {mean(k, 3):.1f} | {mean(r, 3):.1f} |')
