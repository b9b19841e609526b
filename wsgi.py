"""The WSGI entry point: `gunicorn wsgi:app`."""

import gc

from app import create_app

app = create_app()
# What the app built at start-up lives as long as the process: leave it out of the garbage collector's rounds,
# which otherwise walk it again and again while a large answer is built (a tail of 100-200 ms per request).
gc.freeze()
