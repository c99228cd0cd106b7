"""Deployment rollout controls: strategy parameters, pause and resume, restart, undo."""

# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {}
