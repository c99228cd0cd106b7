"""Service actions and the traffic each Service receives."""

# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {}
