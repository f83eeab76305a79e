"""Transfer use cases; each is one transaction that checks the actor and writes the audit trail."""
