"""The web app's shared pieces: dashboards, access checks, security headers, error pages, charts."""
