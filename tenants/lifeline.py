"""Pool workers die with their parent.

A `bodies import` killed with SIGKILL runs no clean-up, so its forked provisioning workers would
be re-parented to init and go on cloning schemas nobody is waiting for. On Linux the kernel sends
them SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere, and as a guard against the
parent dying before the prctl call, a daemon thread checks the parent's pid every second.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        threading.Event().wait(1.0)


def die_with_parent(parent: int) -> None:
    """Call first thing in a forked worker (a Pool initializer), with the parent's pid."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
