"""The portal's pages, one module per citizen journey: finder (the platform home), home (the body's
page), filing, tracking, stats (the published figures), sla (the agreement and its announcement, and
the admin's drafting page), profile (the body's public profile, edited by its admin). Views parse
input, call one service or selector and render."""
