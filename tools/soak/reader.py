# The chaos soak's reader, run on a test host (python3 reader.py VOLUME,VOLUME… LOG NAME SEED): lists
# each volume and reads files the other hosts wrote (named "<host>-<session>-<seq>-<sha256>"),
# recording in LOG "verified", "mismatch" (the bytes read do not hash to the name) or "error" (the
# read failed) per file, until LOG.stop exists. A file is verified once; a failed read is tried again.
import hashlib
import os
import random
import sys
import time

volumes, log_path, name, seed = sys.argv[1].split(","), sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(f"{seed}-{name}-reader-{time.time()}")
log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
verified = set()


def record(line):
    os.write(log, (line + "\n").encode())


record(f"start {os.getpid()}")
while not os.path.exists(log_path + ".stop"):
    for volume in volumes:
        try:
            names = os.listdir(volume)
        except OSError as err:
            record(f"error {volume} list {err.errno}")
            continue
        others = [n for n in names if n.count("-") == 3 and not n.startswith(name + "-") and f"{volume}/{n}" not in verified]
        for file in rng.sample(others, min(8, len(others))):
            path = f"{volume}/{file}"
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as err:
                record(f"error {path} read {err.errno}")
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest == file.rsplit("-", 1)[1]:
                verified.add(path)
                record(f"verified {path}")
            else:
                record(f"mismatch {path} {len(data)} {digest}")
    time.sleep(1)
record("stopped")
