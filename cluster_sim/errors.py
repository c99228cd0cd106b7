"""The one exception users of the engine see."""


class ActionError(Exception):
    """A user action was refused; the message is meant for people and the cluster is unchanged."""
