from django.core.management.base import BaseCommand

from newsletter.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo organisations, lists, topics, news items and subscribers (once)."

    def handle(self, *args, **options):
        created = demo_load()
        if not created:
            self.stdout.write("Demo content already loaded.")
            return
        summary = ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))
