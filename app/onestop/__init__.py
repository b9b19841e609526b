"""One-stop desk: the procedures catalogue, citizens' dossiers, receipt slips, public lookup, statistics."""
