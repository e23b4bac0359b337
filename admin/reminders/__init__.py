"""Reminders reaching people outside the back office: mail of the inbox's notifications (each one,
or a daily digest) through the deployment's SMTP server, the queue that sends it outside requests,
the `hrpark remind` command, and each account's calendar feed of deadlines.

What is told, and to whom, is decided in core.records.reminders; this package only delivers it.
"""
