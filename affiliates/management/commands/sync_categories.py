"""``manage.py sync_categories [<source> …]``: pull the category trees (all sources by default)
through the sources' category APIs, store every node with its ancestors and link the stored
products to their leaves."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from affiliates.services.categories import category_tree_sources, category_tree_sync
from affiliates.sources.base import SourceError


class Command(BaseCommand):
    help = "Pull the category tree of each source and link products to their leaves."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="taobao, jd, kaola, vip, suning, alliance, shop (default: all)")

    def handle(self, *args, **options):
        known = category_tree_sources()
        sources = options["sources"] or known
        unknown = [s for s in sources if s not in known]
        if unknown:
            raise CommandError(_("Unknown source: %(source)s (one of %(known)s)") % {
                "source": ", ".join(unknown), "known": ", ".join(known)})
        failed = []
        for source in sources:
            try:
                counts = category_tree_sync(source=source)
            except (SourceError, NotImplementedError) as exc:
                failed.append(source)
                self.stderr.write(_("%(source)s: %(error)s") % {"source": source, "error": exc})
                continue
            self.stdout.write(_("%(source)s: %(nodes)d categories (%(created)d new), %(linked)d products linked, "
                                "%(rechecked)d re-checked") % {
                "source": source, "nodes": counts.nodes, "created": counts.created,
                "linked": counts.products_linked, "rechecked": counts.products_rechecked})
        if failed:
            raise CommandError(_("The category tree of %(sources)s could not be pulled.") % {"sources": ", ".join(failed)})
