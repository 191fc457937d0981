"""gunicorn settings read from the project root by the production command
`gunicorn -k gevent -w 1 wsgi:app`: start housekeeping in each worker."""


def post_worker_init(worker) -> None:
    """Each worker (one process) starts its heartbeat and purge loops once."""
    import wsgi

    wsgi.start_housekeeping()
