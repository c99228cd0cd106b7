"""Create a playground from the command line and print its path (handy for scripted demos)."""

from django.core.management.base import BaseCommand

from playground.services import create_playground


class Command(BaseCommand):
    help = "Create a new playground and print its path, e.g. /playgrounds/abc123/"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=None, help="seed for a repeatable cluster")

    def handle(self, *args, seed=None, **options):
        playground = create_playground(seed=seed)
        self.stdout.write(f"/playgrounds/{playground.id}/")
