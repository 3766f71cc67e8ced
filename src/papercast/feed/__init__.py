"""feed layer: many articles to a static podcast site."""
