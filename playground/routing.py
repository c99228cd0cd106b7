from django.urls import path

from .consumers import PlaygroundConsumer

websocket_urlpatterns = [
    path("ws/playgrounds/<str:playground_id>/", PlaygroundConsumer.as_asgi()),
]
