"""Notifications (docs/decisions.md "Notifications"): alerts and events told to the people who act on them, by
e-mail and WeCom/DingTalk group robots, through an outbox written with what it announces; the replacement notice."""
