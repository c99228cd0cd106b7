"""HorizontalPodAutoscaler actions."""

# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {}
