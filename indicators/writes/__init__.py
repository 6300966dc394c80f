"""What changes the store on a user's or an operator's behalf: targets, analyses, accounts, the
audit log's entries, the demo seed and preparing the store. Each writer records its change in
the audit log in the same transaction."""
