import os
import subprocess
import sys

from bench.measure import TreePeak, descendants, peak_rss, tree_cpu_seconds
from tests.support.processes import wait_until


def test_it_reads_the_peak_resident_memory_of_a_process():
    # A fresh child, not the test process: pytest's own high-water mark from earlier tests would hide the growth.
    code = (
        "import sys; sys.stdin.readline(); b = bytearray(64 * 1024 * 1024); "
        "b[::4096] = b'x' * len(b[::4096]); print('touched', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: peak_rss(child.pid), timeout=20, what="the child to start")
        before = peak_rss(child.pid)
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "touched"
        after = peak_rss(child.pid)
        assert after - before >= 60 * 1024 * 1024
    finally:
        child.communicate("")


def test_it_finds_a_child_and_keeps_the_largest_peak_of_the_tree():
    code = "import sys; b = bytearray(96 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); sys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        wait_until(lambda: (peak_rss(child.pid) or 0) > 96 * 1024 * 1024, timeout=20, what="the child to touch its memory")
        assert child.pid in descendants(os.getpid())
        tree = TreePeak(os.getpid())
        tree.sample()
        assert tree.largest >= 96 * 1024 * 1024
        assert tree_cpu_seconds(os.getpid()) > 0
    finally:
        child.communicate(b"")
    assert peak_rss(child.pid) is None  # gone: nothing to read, no error
