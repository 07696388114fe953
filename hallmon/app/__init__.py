"""What crosses the domains: the registered sources, the writes with what they recompute, the month at a glance."""
