"""A small HTTP load generator for when wrk is not installed.

    python -m benchmarks.loadgen URL SECONDS CONNECTIONS

Prints ``requests errors seconds`` on one line.
"""

import http.client
import sys
import threading
import time
from urllib.parse import urlsplit


def worker(parts, deadline, counts, lock):
    done = errors = 0
    conn = None
    while time.perf_counter() < deadline:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(
                    parts.hostname, parts.port, timeout=10
                )
            conn.request("GET", parts.path or "/")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                errors += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors += 1
            conn = None
    with lock:
        counts[0] += done
        counts[1] += errors


def main(url, seconds, connections):
    parts = urlsplit(url)
    counts, lock = [0, 0], threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=worker, args=(parts, deadline, counts, lock))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(counts[0], counts[1], time.perf_counter() - started)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
