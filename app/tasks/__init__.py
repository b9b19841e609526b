"""Tasks: leaders assign the processing of documents; the lead carries it out, by one state machine."""
