"""HR's side of the plugin in the Wagtail admin: viewsets, views, forms,
filters, the listing query, exports and the round summary. Wired up by
``mentoring_cms.wagtail_hooks`` only; nothing below the admin imports it."""
