# A small shop for the stack tests, run by gunicorn with sync workers (see ../stacks.ts).
# Products are cheap; orders are serialised across ALL worker processes by an flock and burn CPU while
# holding it, so the shop has a known, low order capacity: 1000 / SHOP_ORDER_CPU_MS orders/s, whatever
# the number of workers.
#
# Environment:
#   SHOP_LOG           file that gets one line per request: "<epoch_ms> <method> <route-pattern> <status> <lock_ms>"
#                      (lock_ms: wall time an order held the lock, 0 for other requests)
#   SHOP_LOCK          the orders' lock file; it also holds the last order id
#   SHOP_ORDER_CPU_MS  CPU time an order burns while holding the lock (default 25)
import fcntl
import os
import time

from flask import Flask, g, jsonify, request

ORDER_CPU_MS = float(os.environ.get('SHOP_ORDER_CPU_MS', '25'))
LOCK_PATH = os.environ['SHOP_LOCK']
# O_APPEND: each line goes out in one small write(), appended whole even with several workers writing.
LOG_FD = os.open(os.environ['SHOP_LOG'], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

app = Flask(__name__)


def burn(ms):
    """Busy for `ms` of this process's CPU time (not wall time: a descheduled worker still does the full work)."""
    end = time.process_time() + ms / 1000
    while time.process_time() < end:
        pass


@app.get('/health')
def health():
    return 'ok'


@app.get('/api/products/<int:id>')
def product(id):
    burn(1)
    return jsonify(id=id, name=f'product {id}', price=100 + id % 50)


@app.post('/api/orders')
def order():
    # Opened per request: an flock belongs to the open file, and with --preload a file opened at import
    # would be shared by every worker, which would then never exclude each other.
    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        locked = time.perf_counter()
        burn(ORDER_CPU_MS)
        last = os.pread(fd, 32, 0).decode().strip()
        n = int(last or 0) + 1
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(n).encode(), 0)
    finally:
        os.close(fd)  # also releases the lock
        # Wall time, not CPU: a worker descheduled while it holds the lock keeps every other order waiting.
        if 'locked' in locals():
            g.lock_ms = (time.perf_counter() - locked) * 1000
    return jsonify(id=n), 201


@app.after_request
def count(response):
    # Runs for every response Flask makes, 404s and 500s included, before it is sent: once a client has
    # its answer, the line is in the file.
    route = request.url_rule.rule if request.url_rule else '-'
    lock_ms = g.get('lock_ms', 0)
    os.write(LOG_FD, f'{int(time.time() * 1000)} {request.method} {route} {response.status_code} {lock_ms:.2f}\n'.encode())
    response.headers['X-Worker'] = str(os.getpid())
    return response
