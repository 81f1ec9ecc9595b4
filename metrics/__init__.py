"""
Prometheus metrics: what the server is doing while it runs, counted across every gunicorn
worker (prometheus_client's multiprocess mode, set up by authsite/gunicorn.conf.py).
"""
