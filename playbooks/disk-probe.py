"""fleet disk probe, python3 fallback for hosts without fio (stdlib only, Python 3.5+ syntax).

Times each 2300-byte write + os.fdatasync on its own (not an average: etcd cares about the slow
tail), stopping at max_writes samples or after max_seconds, whichever comes first (the write in
progress at the deadline is finished and counted).

Usage: python3 disk-probe.py <work-dir> <max-writes> <max-seconds> [<reported-dir>]
Prints one JSON line: {"tool": "python3", "directory", "p99Ms", "p50Ms", "samples"}.
Percentiles are nearest-rank: the smallest sample that at least p% of samples are <= to.
"""
import json
import math
import os
import sys
import time

BLOCK_SIZE = 2300


def nearest_rank(sorted_values, percent):
    rank = int(math.ceil(percent / 100.0 * len(sorted_values)))
    return sorted_values[max(rank, 1) - 1]


def measure(work_dir, max_writes, max_seconds):
    path = os.path.join(work_dir, 'etcd-probe.wal')
    # Random bytes: a compressing filesystem must not make the writes cheaper than etcd's.
    block = os.urandom(BLOCK_SIZE)
    latencies = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        deadline = time.perf_counter() + max_seconds
        while len(latencies) < max_writes and time.perf_counter() < deadline:
            start = time.perf_counter()
            os.write(fd, block)
            os.fdatasync(fd)
            latencies.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        os.unlink(path)
    return latencies


def main(argv):
    work_dir, max_writes, max_seconds = argv[1], int(argv[2]), float(argv[3])
    reported_dir = argv[4] if len(argv) > 4 else work_dir
    latencies = sorted(measure(work_dir, max_writes, max_seconds))
    print(json.dumps({
        'tool': 'python3',
        'directory': reported_dir,
        'p99Ms': round(nearest_rank(latencies, 99) * 1000, 2),
        'p50Ms': round(nearest_rank(latencies, 50) * 1000, 2),
        'samples': len(latencies),
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
