"""ConfigMap and Secret actions, and pod templates that consume them."""

# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {}
