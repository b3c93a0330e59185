"""The complaint write path: every change to a case goes through a function of this package.

Each is one transaction that changes the case, appends its timeline event, writes the reporting
fact (public schema, no personal data) and the SLA clocks (`record`), and queues citizen
notifications in the outbox; side effects (delivery tasks) run only after commit. A failure
anywhere leaves nothing half done. Modules by what happens to a case: `intake`, `workflow`,
`merge`, `transfer`.
"""
