#!/usr/bin/env python3
"""ratios.py RESULTS_TSV -> kiln next to restic and Borg per dataset and step: mean wall time, the time ratio
kiln/peer (below 1: kiln is faster; the targets are stated this way: "at most 0.5x restic's wall time"), CPU, RSS
and repository size."""
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
peers = [p for p in ('restic', 'borg') if any(k[2] == p for k in acc)]
head = ['dataset', 'step', 'kiln wall s'] + [f'{p} wall s' for p in peers] + [f'time kiln/{p}' for p in peers] \
    + ['kiln CPU s'] + [f'{p} CPU s' for p in peers] + ['kiln RSS MB'] + [f'{p} RSS MB' for p in peers] \
    + ['kiln repo MB'] + [f'{p} repo MB' for p in peers]
print('| ' + ' | '.join(head) + ' |')
print('|' + '---|' * len(head))
for ds in sorted({k[0] for k in acc}):
    for step in ['init', 'backup1', 'backup2', 'backup3', 'restore', 'check']:
        k = acc.get((ds, step, 'kiln'))
        if not k:
            continue
        ps = [acc.get((ds, step, p)) for p in peers]
        def cell(xs, i, fmt):
            return fmt.format(mean(xs, i)) if xs else '-'
        cols = [ds, step, f'{mean(k, 0):.2f}'] + [cell(p, 0, '{:.2f}') for p in ps] \
            + [f'{mean(k, 0) / mean(p, 0):.2f}x' if p else '-' for p in ps] \
            + [f'{mean(k, 1):.1f}'] + [cell(p, 1, '{:.1f}') for p in ps] \
            + [f'{mean(k, 2):.0f}'] + [cell(p, 2, '{:.0f}') for p in ps] \
            + [f'{mean(k, 3):.1f}'] + [cell(p, 3, '{:.1f}') for p in ps]
        print('| ' + ' | '.join(cols) + ' |')
