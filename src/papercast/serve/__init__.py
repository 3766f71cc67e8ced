"""``papercast serve``: one long-running process for one feed folder (an ASGI application on
uvicorn; see app.py for the routes, worker.py for the renders)."""
