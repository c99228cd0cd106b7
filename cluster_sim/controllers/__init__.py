"""Level-triggered controllers: read desired and actual state, act on the difference."""
