"""The company's data from start to end, self-service for owners: how long the personal data
of closed rounds is kept (retention), everything in one archive (export), deleting the
company after a grace period (deletion), a staff member's request for what is held about
their address (subject), and the daily job that erases what is due (daily)."""
