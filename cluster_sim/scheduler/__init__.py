"""kube-scheduler: queue, filter and score plugins, FitError messages, the cycle."""

from .cycle import Scheduler

__all__ = ["Scheduler"]
