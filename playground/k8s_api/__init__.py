"""The Kubernetes REST API of a playground, under /k8s/<playground id>/, for real kubectl
and the official Python client (issue #6).

Reads load the saved cluster; writes go through playground.services like a click; watches
replay and follow the journal kept in Redis by history.py. What kubectl sends and needs is
recorded request by request in docs (see the module docstrings)."""
