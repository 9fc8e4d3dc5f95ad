# The chaos soak's writer, run on a test host (python3 writer.py VOLUME LOG NAME SEED): writes files
# of random bytes into VOLUME, each named "<NAME>-<session>-<seq>-<sha256>", until LOG.stop exists.
# For every file it records in LOG (on the host's own disk, fsynced line by line) "begin" before the
# open and then what the writer was told: "ok" once close() returned success, or "failed" with the
# call that raised and its error. A "begin" with neither is a write the process did not live to see
# answered (a reboot killed it, recorded by the next "start") or one that never returned.
# Plain system calls (os.open/os.write/os.close): no buffering hides an error from the writer.
import hashlib
import os
import random
import sys
import time

volume, log_path, name, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
session = str(int(time.time() * 1000))
rng = random.Random(f"{seed}-{name}-{session}")
log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)


def record(line):
    os.write(log, (line + "\n").encode())
    os.fsync(log)


record(f"start {session} {os.getpid()}")
seq = 0
while not os.path.exists(log_path + ".stop"):
    seq += 1
    # 1 KiB to 256 KiB, log-uniform: many small files and some larger ones.
    data = rng.randbytes(int(2 ** rng.uniform(10, 18)))
    file = f"{name}-{session}-{seq:06d}-{hashlib.sha256(data).hexdigest()}"
    record(f"begin {file} {len(data)}")
    started = time.monotonic()
    call, fd = "open", None
    try:
        fd = os.open(os.path.join(volume, file), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        call = "write"
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        call = "close"
        fd, closing = None, fd
        os.close(closing)
    except OSError as err:
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
        record(f"failed {file} {call} {err.errno} {(err.strerror or '').replace(' ', '_')}")
        time.sleep(0.5)
        continue
    record(f"ok {file} {int((time.monotonic() - started) * 1000)}")
    time.sleep(rng.uniform(0.05, 0.3))
record(f"stopped {session}")
