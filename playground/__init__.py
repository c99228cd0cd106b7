"""The Django project: persistence, the tick driver, websockets and the UI views.

Importing the Celery app here makes sure `shared_task` binds to it whenever
Django starts.
"""

from .celery_app import app as celery_app

__all__ = ("celery_app",)
